// Loaded with `node --import` (through NODE_OPTIONS) by the cli bench: when the process exits, writes its own CPU
// time (user + system) and peak RSS, from process.resourceUsage(), as JSON to the file TIDEMARK_USAGE_REPORT names.
import { writeFileSync } from 'node:fs';

const file = process.env.TIDEMARK_USAGE_REPORT;
if (file)
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    writeFileSync(file, JSON.stringify({ cpuMs, peakRssBytes: usage.maxRSS * 1024 }));
  });
