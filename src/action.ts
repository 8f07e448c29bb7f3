// GitHub Action entry point (action.yml runs it with Node 24). The work is in src/action/main.ts.
import { run } from './action/main.ts';

await run();
