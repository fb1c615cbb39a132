// Used by bench/compare-seed.sh: gathers load.js's reports of both servers
// with what describes the machine and the build, writes them as one JSON file
// and prints the markdown table.
//   node compare-report.js RESULT_JSON "LOAD_ARGS" target=REPORT_JSON...
'use strict';

const fs = require('fs');
const os = require('os');
const { execFileSync } = require('child_process');

const [resultPath, loadArgs, ...inputs] = process.argv.slice(2);
const runs = inputs.map(input => {
  const at = input.indexOf('=');
  return { target: input.slice(0, at), report: JSON.parse(fs.readFileSync(input.slice(at + 1), 'utf8')) };
});

function serverVersion() {
  try {
    return execFileSync(process.env.SERVER_BIN, ['--version']).toString().trim();
  } catch (err) {
    return null;
  }
}

const cpuModel = (os.cpus()[0] || {}).model || null;
const result = {
  date: new Date().toISOString(),
  commit: process.env.COMMIT || null,
  machine: {
    nproc: Number(execFileSync('nproc').toString().trim()),
    cpuModel,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    loadAverageBefore: process.env.LOAD_BEFORE || null,
    loadAverageAfter: process.env.LOAD_AFTER || null,
  },
  node: process.version,
  confabServer: { binary: process.env.SERVER_BIN || null, version: serverVersion() },
  loadArguments: loadArgs,
  runs,
};
fs.writeFileSync(resultPath, JSON.stringify(result, null, 2) + '\n');

const fixed = (value, digits) => (value === null || value === undefined ? '—' : Number(value).toFixed(digits));
const thousands = value => (value === null || value === undefined ? '—' : Math.round(value).toLocaleString('en-US'));
// CPU per delivery is comparable only while a server keeps up: one that
// falls behind batches its backlog (fewer commits, more frames per write)
// and so spends less per delivery while its latency grows. The same goes for
// a tool that could not offer the rate on a busy machine.
function keptUp(r) {
  const offered = r.scenario.rate * r.scenario.members;
  return r.throughput.deliveriesPerSecond >= 0.97 * offered && r.throughput.maxSendLagMs < 50 &&
    r.latency.sendToDelivery.p99 !== null && r.latency.sendToDelivery.p99 < 1000
    ? 'yes' : 'no';
}

const rows = [
  ['kept up (rate offered, p99 < 1 s, tool lag < 50 ms)', keptUp],
  ['server CPU ms / 1,000 deliveries', r => fixed(r.server.cpuMsPer1000Deliveries, 1)],
  ['send→delivery p50 (ms)', r => fixed(r.latency.sendToDelivery.p50, 1)],
  ['send→delivery p99 (ms)', r => fixed(r.latency.sendToDelivery.p99, 1)],
  ['send→delivery max (ms)', r => fixed(r.latency.sendToDelivery.max, 1)],
  ['send→ack p99 (ms)', r => fixed(r.latency.sendToAck.p99, 1)],
  ['deliveries/s', r => thousands(r.throughput.deliveriesPerSecond)],
  ['acks/s', r => thousands(r.throughput.acksPerSecond)],
  ['lost', r => String(r.delivery.lost)],
  ['duplicated', r => String(r.delivery.duplicates)],
  ['mentions received / expected', r => `${r.delivery.mentionsReceived} / ${r.delivery.mentionsExpected}`],
  ['unacked / errors', r => `${r.delivery.unacked} / ${Object.values(r.errorsByCode).reduce((a, b) => a + b, 0)}`],
  ['server cores', r => fixed(r.server.cpuCores, 2)],
  ['tool cores', r => fixed(r.tool.cpuCores, 2)],
  ['tool max send lag (ms)', r => fixed(r.throughput.maxSendLagMs, 1)],
];
const several = runs.length > 2;
const headers = runs.map((run, i) => (several ? `${run.target} #${Math.floor(i / 2) + 1}` : run.target));
const first = runs[0].report.scenario;
const lines = [
  `${first.rooms} rooms × ${first.members} members, ${first.rate} msg/s offered, ` +
    `${first.warmup} s warm-up + ${first.duration} s; ${result.machine.nproc} × ${cpuModel}; ` +
    `load average ${result.machine.loadAverageBefore} → ${result.machine.loadAverageAfter}; commit ${result.commit}`,
  '',
  `| | ${headers.join(' | ')} |`,
  `| --- |${' --- |'.repeat(runs.length)}`,
  ...rows.map(([label, cell]) => `| ${label} | ${runs.map(run => cell(run.report)).join(' | ')} |`),
];
if (runs.some(run => keptUp(run.report) === 'no')) {
  lines.push('', 'A run did not keep up: its CPU per delivery is not comparable (see bench/README.md).');
}
console.log(lines.join('\n'));
