/** @jsxImportSource hono/jsx */
export type TeamListRow = { id: string; name: string; leadName: string | null; memberNames: string[] };

export type TeamsListProps = { teams: TeamListRow[]; moreHref: string | null; canManage: boolean };

/** /teams: who works together and who leads them (leads approve their members' timesheets). */
export function TeamsListPage(props: TeamsListProps) {
  return (
    <article class="work-page">
      <header class="work-header">
        <div>
          <p class="work-breadcrumbs">
            <a href="/projects">Projects</a>
          </p>
          <h1>Teams</h1>
        </div>
        {props.canManage ? (
          <div class="work-actions">
            <a class="link-button" href="/teams/new">
              New team
            </a>
          </div>
        ) : null}
      </header>
      <p>A team's lead approves the timesheets of its members.</p>
      {props.teams.length === 0 ? (
        <p class="empty-state">
          No teams yet.{" "}
          {props.canManage ? (
            <>
              <a href="/teams/new">Create a team</a>, choose its lead and add its members.
            </>
          ) : (
            "A manager or admin sets up teams."
          )}
        </p>
      ) : (
        <div class="overflow-auto">
          <table class="work-table teams-table">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Lead</th>
                <th scope="col">Members</th>
              </tr>
            </thead>
            <tbody>
              {props.teams.map((team) => (
                <tr id={`team-${team.id}`}>
                  <td>
                    <a href={`/teams/${team.id}`}>{team.name}</a>
                  </td>
                  <td>{team.leadName ?? "—"}</td>
                  <td>{team.memberNames.length === 0 ? "—" : team.memberNames.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.moreHref ? (
        <p>
          <a href={props.moreHref}>More teams</a>
        </p>
      ) : null}
    </article>
  );
}
