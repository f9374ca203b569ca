// What the views may ask of the cluster beyond reading it: resize a claim, delete a pod (restart
// = delete so that its controller recreates it), and whether the user may. Views get this from
// the session (UiSession.actions); src/actions/kube-actions.ts implements it over the KubeClient,
// refusing everything without a request when csi-top runs with --readonly.

export interface Access {
  readonly allowed: boolean;
  /** Why not (or the server's reason for yes); a sentence a person reads. */
  readonly reason: string;
  /** The check itself failed (SelfSubjectAccessReview refused or unreachable): the server decides. */
  readonly unknown?: boolean;
}

/** What a mutation came to: the server's answer, or why nothing was sent. */
export interface Outcome {
  readonly ok: boolean;
  /** HTTP status; 0 when nothing was sent or the server was not reached. */
  readonly status: number;
  /** On failure the apiserver's Status message verbatim (or why nothing was sent). */
  readonly message: string;
  /** Whether a request went out. */
  readonly sent: boolean;
  /** Why the action log could not record it (the request went out all the same). */
  readonly logError?: string;
}

export type AccessVerb = 'patch' | 'delete';
export type AccessResource = 'persistentvolumeclaims' | 'pods';

export interface ActionObject {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface Actions {
  readonly readonly: boolean;
  /** SelfSubjectAccessReview for verb on resource in namespace; none under --readonly. */
  access(verb: AccessVerb, resource: AccessResource, namespace: string): Promise<Access>;
  /** One JSON merge patch of spec.resources.requests.storage, sent as typed (validate first). */
  resizeClaim(namespace: string, name: string, size: string): Promise<Outcome>;
  /**
   * Deletes a pod, only if it still is the one seen (`uid` precondition); `action` names what the
   * deletion is for in the action log ('delete', 'restart').
   */
  deletePod(namespace: string, name: string, o?: { uid?: string; action?: 'delete' | 'restart'; reason?: string }): Promise<Outcome>;
}

export const READONLY_MESSAGE = 'csi-top runs with --readonly: actions are off and nothing was sent';
