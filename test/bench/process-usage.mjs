// Loaded with `node --import` (through NODE_OPTIONS) by the cli bench: when the process exits, writes its own CPU
// time (user + system, from process.resourceUsage()) and peak RSS (Linux's VmHWM of its own memory: resourceUsage's
// maxRSS would also hold the peak of the bench that spawned it) as JSON to the file TIDEMARK_USAGE_REPORT names.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.TIDEMARK_USAGE_REPORT;
if (file)
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    const peakRssBytes = hwm ? Number(hwm) * 1024 : usage.maxRSS * 1024;
    writeFileSync(file, JSON.stringify({ cpuMs, peakRssBytes }));
  });
