/** State colours, always shown with the state's name (never colour alone). */
export const STATE_COLOURS = {
    healthy: '#1a7f37',
    registered: '#57606a',
    fault: '#8250df',
    late: '#bf8700',
    stale: '#d1570f',
    dead: '#cf222e',
    retired: '#6e7781',
};
export const STATE_ORDER = ['healthy', 'late', 'stale', 'dead', 'fault', 'registered', 'retired'];
export function stateColour(state) {
    return STATE_COLOURS[state] ?? '#57606a';
}
