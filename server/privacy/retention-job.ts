/**
 * The stable id of the job that applies data retention (applyRetention, run daily and at start
 * by server/jobs/system-jobs.ts).
 */
export const DATA_RETENTION_JOB = "privacy.retention";
