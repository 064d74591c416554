/** @jsxImportSource hono/jsx */

export type BackupGenerationRow = { replica: string; generation: string; start: string; end: string };
export type BackupSnapshotRow = { replica: string; generation: string; index: number; size: string; createdAt: string };

export type BackupListingProps =
  | { state: "loading" }
  | { state: "failed"; message: string }
  | { state: "loaded"; generations: BackupGenerationRow[]; snapshots: BackupSnapshotRow[] };

const refresh = {
  "hx-get": "/settings/backups/snapshots",
  "hx-target": "#backup-listing",
  "hx-swap": "outerHTML",
};

/**
 * The generations and snapshots on the replicas. Reading them runs Litestream against the bucket or
 * directory, so the page paints first with "loading" and this part asks for itself once shown.
 */
export function BackupListingPanel(props: BackupListingProps) {
  const loading = props.state === "loading";
  return (
    <section
      id="backup-listing"
      aria-labelledby="backup-listing-heading"
      aria-busy={loading ? "true" : undefined}
      {...(loading ? { ...refresh, "hx-trigger": "load" } : {})}
    >
      <h2 id="backup-listing-heading">Snapshots</h2>
      {props.state === "loading" ? (
        <p class="muted">Reading the replicas…</p>
      ) : props.state === "failed" ? (
        <p class="form-message form-message-error" role="alert">
          {props.message}
        </p>
      ) : (
        <>
          {props.snapshots.length === 0 ? (
            <p class="muted">No snapshot on the replicas yet.</p>
          ) : (
            <table id="backup-snapshots">
              <thead>
                <tr>
                  <th scope="col">Taken (UTC)</th>
                  <th scope="col">Replica</th>
                  <th scope="col">Generation</th>
                  <th scope="col">Size</th>
                </tr>
              </thead>
              <tbody>
                {props.snapshots.map((snapshot) => (
                  <tr>
                    <td>{snapshot.createdAt}</td>
                    <td>{snapshot.replica}</td>
                    <td>
                      <code>{snapshot.generation}</code>
                    </td>
                    <td>{snapshot.size}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {props.generations.length > 0 ? (
            <details>
              <summary>Generations ({props.generations.length})</summary>
              <p class="muted">
                A generation starts at each snapshot Litestream begins afresh; a restore to a point in time (
                <code>opsbox backup restore --timestamp</code>) can reach any moment between its start and end.
              </p>
              <table id="backup-generations">
                <thead>
                  <tr>
                    <th scope="col">Replica</th>
                    <th scope="col">Generation</th>
                    <th scope="col">From (UTC)</th>
                    <th scope="col">To (UTC)</th>
                  </tr>
                </thead>
                <tbody>
                  {props.generations.map((generation) => (
                    <tr>
                      <td>{generation.replica}</td>
                      <td>
                        <code>{generation.generation}</code>
                      </td>
                      <td>{generation.start}</td>
                      <td>{generation.end}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </>
      )}
      {loading ? null : (
        <button type="button" class="secondary" {...refresh}>
          Read again
        </button>
      )}
    </section>
  );
}
