import { stateColour } from './states';

/** A state as colour AND text (readable without colour vision, and by screen readers). */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className="state" data-state={state} style={{ borderColor: stateColour(state), color: stateColour(state) }}>
      <span className="dot" style={{ background: stateColour(state) }} aria-hidden="true" />
      {state}
    </span>
  );
}
