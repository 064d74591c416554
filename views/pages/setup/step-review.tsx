/** @jsxImportSource hono/jsx */
export type ReviewSection = { step: string; title: string; lines: string[] };
export type ReviewProblemView = { step: string; title: string; message: string };

export function ReviewStep(props: { sections: ReviewSection[]; problems: ReviewProblemView[] }) {
  return (
    <>
      {props.problems.length > 0 ? (
        <div class="setup-problems" role="alert">
          <p>
            <strong>Some steps need another look:</strong>
          </p>
          <ul>
            {props.problems.map((problem) => (
              <li>
                <a href={`/setup/${problem.step}`}>{problem.title}</a>: {problem.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p>Check your choices, then finish. You will land on the dashboard, signed in.</p>
      )}
      <dl class="setup-review">
        {props.sections.map((section) => (
          <>
            <dt>
              {section.title} <a href={`/setup/${section.step}`}>Change</a>
            </dt>
            <dd>
              {section.lines.map((line, i) => (
                <>
                  {i > 0 ? <br /> : null}
                  {line}
                </>
              ))}
            </dd>
          </>
        ))}
      </dl>
      <p>
        <small>
          After setup, generate recovery codes for your two-factor authentication in your profile, so that a lost phone
          does not lock you out.
        </small>
      </p>
    </>
  );
}
