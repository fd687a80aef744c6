// First: configures Zod before any schema is created (see the file). The rest of the app is
// imported afterwards, dynamically: with code splitting, a statically imported shared chunk
// (Zod and the contracts' schemas) would run before this module's own code.
import './app/zod-jitless';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

void import('./app/start').then(({ start }) => start(container));
