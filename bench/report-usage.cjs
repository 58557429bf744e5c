// Preloaded into a benchmarked process (node --require): writes its peak memory and CPU time when it
// exits. Both cover the whole process, worker threads included.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  if (process.env.BENCH_USAGE_FILE)
    writeFileSync(
      process.env.BENCH_USAGE_FILE,
      JSON.stringify({
        maxRssKiB: process.resourceUsage().maxRSS,
        cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
      }),
    );
});
