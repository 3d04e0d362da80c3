// The end-to-end suite on a busy machine: two processes burn a CPU core each (as a loaded CI
// machine or a laptop compiling beside the tests would), and the whole suite must pass three
// times in a row. Usage: npm run test:e2e:stress [-- --runs N --burners N]
import { spawn, spawnSync } from 'node:child_process';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg('runs', 3);
const burnerCount = arg('burners', 2);

// Each burner is a busy loop in its own process, ended when this script ends however it ends.
const burners = Array.from({ length: burnerCount }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stop = () => burners.forEach((b) => b.kill('SIGKILL'));
process.on('exit', stop);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
console.log(`e2e stress: ${burnerCount} CPU-burning processes (pids ${burners.map((b) => b.pid).join(', ')}), ${runs} runs of the suite`);

for (let run = 1; run <= runs; run++) {
  console.log(`\ne2e stress: run ${run} of ${runs}`);
  const result = spawnSync('npx', ['playwright', 'test'], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`e2e stress: run ${run} failed`);
    process.exit(result.status ?? 1);
  }
}
console.log(`\ne2e stress: ${runs} of ${runs} runs passed beside ${burnerCount} CPU burners`);
// The burners keep the event loop alive: end them, and the script, explicitly.
process.exit(0);
