// What `doctor` and `export` call.
export { buildDoctor, reportFindings, type ReportOptions } from './doctor';
export { renderDoctorText, type TextOptions } from './text';
export { buildExport, type ExportOptions } from './export';
export * from './types';
