// The topology's public face: relations between pods, claims, volumes and CSI components.
export type { ObjRef } from './refs';
export { refOf, refKey, refText, lookup } from './refs';
export type { DriverInfo, DriverIndex, LeaseInfo } from './driver-index';
export { driverIndex } from './driver-index';
export type { MountIndex, ServingMountPod } from './mount-index';
export { mountIndex, mountPodsOfAppPod, appPodsOfMountPod, pvsOfMountPod, staleMountHints } from './mount-index';
export type { VolumeLink, Consumers } from './volumes';
export { volumeLinks, consumers, claimsByStorageClass, pvOfClaim, claimOfPV, driverOfClaim, isActivePod } from './volumes';
export type { VolumeServices } from './services';
export { volumeServices, servedByNodePlugin } from './services';
export type { ChainNode, ChainMark, ChainOptions } from './chain';
export { chainFor } from './chain';
export type { RelatedObject } from './related';
export { relatedObjects, pathTo } from './related';
export { statusText } from './status';
