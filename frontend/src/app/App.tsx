import { env } from '@/config/env';
import { ServerStatus } from '@/features/health/components/ServerStatus';

export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem' }}>
      <h1>FleetHealth</h1>
      <ServerStatus apiBase={env.apiBase} />
      <p>The live fleet dashboard is being built; the API is at <code>/api/v1/sensors</code>.</p>
    </main>
  );
}
