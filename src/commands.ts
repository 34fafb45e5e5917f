/**
 * Every command id of the extension and the palette category, in one place:
 * the connection and panels (`CommandIDs`), the Data Clean Room's job
 * commands (`JobCommandIDs`), the query builder's (`BuilderCommandIDs`) and
 * the clean-room script template's (`TemplateCommandIDs`).
 */

/** The connection's commands and the commands that open the panels. */
export namespace CommandIDs {
  export const signIn = 'vce:sign-in';
  export const signOut = 'vce:sign-out';
  export const showConnection = 'vce:show-connection';
  export const refreshStatus = 'vce:refresh-status';
  export const openShield = 'vce:open-data-clean-room';
  export const openQueryBuilder = 'vce:open-query-builder';
  export const openQueryBuilderMain = 'vce:open-query-builder-main-area';
}

/** Command ids of the Data Clean Room (the panel itself opens with CommandIDs.openShield). */
export namespace JobCommandIDs {
  export const submitActive = 'vce:submit-active-script';
  export const submitFile = 'vce:submit-file';
  export const testRunFile = 'vce:test-run-file';
  export const refreshJobs = 'vce:refresh-jobs';
  export const openJob = 'vce:open-job';
  export const cancelJob = 'vce:cancel-job';
  export const resubmitJob = 'vce:resubmit-job';
  export const saveResults = 'vce:save-job-results';
  export const verifyJob = 'vce:verify-job-attestation';
}

/** The query builder's commands (the panel itself opens with CommandIDs.openQueryBuilder). */
export namespace BuilderCommandIDs {
  export const insert = 'vce:query-builder-insert';
  export const insertAndRun = 'vce:query-builder-insert-and-run';
  export const copy = 'vce:query-builder-copy';
  export const updateCell = 'vce:query-builder-update-cell';
  export const editCell = 'vce:query-builder-edit-cell';
  export const preview = 'vce:query-builder-preview';
  export const newQuery = 'vce:query-builder-new';
}

/** *New clean-room script* (launcher and palette). */
export namespace TemplateCommandIDs {
  export const newScript = 'vce:new-clean-room-script';
}

/** The Inbox: the platform's mails to the primary researcher (`jobId`: that job's mail). */
export namespace InboxCommandIDs {
  export const open = 'vce:open-inbox';
}

/** The palette category of every VCE command. */
export const PALETTE_CATEGORY = 'Virtual Compute Environment';

/** The Data Clean Room (shield) panel's widget id, for plugins that add to its toolbar. */
export const SHIELD_PANEL_ID = 'jp-vce-shield-panel';
