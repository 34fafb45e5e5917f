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
