import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseCluster } from '../api/cluster';
import { ClusterView } from './ClusterView';
const render = (body) => renderToStaticMarkup(createElement(ClusterView, { status: parseCluster(body) }));
const akkaMember = (port, state, shards, self = false, roles = []) => ({
    nodeId: `node${port - 4052}:4053`, address: `akka.tcp://fleethealth@node${port - 4052}:4053`, state, shards, self, roles,
});
const akka = {
    nodeId: 'node1:4053', address: 'akka.tcp://fleethealth@node1:4053', shards: 256, shardsHere: 10, unavailable: 0, lastError: null,
    members: [akkaMember(4053, 'up', 10, true, ['api']), akkaMember(4054, 'up', 12), akkaMember(4055, 'unreachable', 8)],
};
describe('ClusterView', () => {
    it('shows each member with its Akka state, shards, address and roles, and no times it does not have', () => {
        const html = render(akka);
        expect(html).toContain('2 of 3 nodes up');
        expect(html).toContain('30 shards in use (at most 256)');
        expect(html).toContain('node1:4053 (this node)');
        expect(html).toContain('akka.tcp://fleethealth@node3:4053');
        expect(html).toMatch(/class="member-state tone-bad" data-testid="cluster-state" title="unreachable: [^"]*">unreachable</);
        expect(html).toContain('<td data-testid="cluster-roles">api</td>');
        expect(html).not.toContain('Last seen');
        expect(html).not.toContain('never');
        expect(html).toContain('8 on unreachable or downed nodes');
    });
    it('shows why the sharding statistics are missing without blaming the database', () => {
        const html = render({ ...akka, lastError: 'The sharding coordinator did not answer (no cluster leader yet, or it is moving).' });
        expect(html).toContain('— The sharding coordinator did not answer');
        expect(html).not.toContain('cannot reach the database');
    });
    it('shows a joining member as on its way in and a leaving one as on its way out', () => {
        const html = render({ ...akka, members: [akkaMember(4053, 'joining', 0, true), akkaMember(4054, 'exiting', 3)] });
        expect(html).toContain('tone-pending" data-testid="cluster-state" title="joining: waits for the leader to let it in (no shards yet)">joining<');
        expect(html).toContain('tone-leaving');
        expect(html).toContain('0 of 2 nodes up');
    });
});
