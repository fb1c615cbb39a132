// What load.js measures besides the traffic: another process's CPU and RSS
// from /proc, and percentiles of the latency samples.
'use strict';

const fs = require('fs');
const { execFileSync } = require('child_process');

let clockTicks = null;
function ticksPerSecond() {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch (err) {
      clockTicks = 100; // Linux's USER_HZ everywhere we run
    }
  }
  return clockTicks;
}

// utime + stime of a process in seconds, or null when it cannot be read.
// The command name (field 2) may hold spaces and parentheses, so the fields
// are counted from the last ')'.
function processCpuSeconds(pid) {
  if (!pid) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch (err) {
    return null;
  }
}

function processRssKiB(pid) {
  if (!pid) return null;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) : null;
  } catch (err) {
    return null;
  }
}

function round(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

// Nearest-rank percentiles over every sample (a few hundred thousand at most,
// so sorting them all is cheap and exact).
function summarize(samples) {
  const n = samples.length;
  if (n === 0) return { count: 0, mean: null, p50: null, p90: null, p99: null, p999: null, max: null };
  const sorted = Float64Array.from(samples).sort();
  const at = q => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: n,
    mean: round(sum / n),
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    p999: round(at(0.999)),
    max: round(sorted[n - 1]),
  };
}

module.exports = { processCpuSeconds, processRssKiB, summarize, round };
