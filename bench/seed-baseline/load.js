#!/usr/bin/env node
// One load tool for two servers: the seed design's (server.js, Socket.IO)
// and confab-server (docs/protocol.md), so that both are driven by the same
// scenario, the same clock and the same arithmetic (bench/compare-seed.sh).
//
// The scenario is the everyday office case of issue 17: --rooms rooms of
// --members users each, every user in one room and connected once, and
// messages arriving one by one at a fixed offered rate, open loop: message k
// is due at start + k/rate, sent by the next sender in turn, and stamped with
// that due time, so a stalled server shows up as latency and not as a lower
// offered rate. Sender and receivers live in this process: one clock.
'use strict';

const { SeedAdapter } = require('./lib/seed-adapter');
const { ConfabAdapter } = require('./lib/confab-adapter');
const { Run } = require('./lib/run');

const USAGE = `usage: node load.js --target seed|confab --url URL [options]
  --target seed|confab   which adapter: socket.io-client, or ws speaking docs/protocol.md
  --url URL              seed: http://127.0.0.1:PORT; confab: ws://127.0.0.1:PORT
  --rooms N              rooms (20)
  --members N            members per room, each a user with one connection (20)
  --rate R               messages per second offered, over all senders (1500)
  --warmup S             seconds of traffic before the measured window (2)
  --duration S           seconds of the measured window (10)
  --drain S              seconds to wait for late acks and deliveries (15)
  --content-bytes N      length of each message's content (120)
  --mention-share P      share of messages that @mention another member (0)
  --server-pid PID       the server's pid: its CPU seconds during the window
  --concurrency N        set-up requests and connections in flight (32)
  --json                 print the report as one JSON object`;

function parseArgs(argv) {
  const options = {
    target: null, url: null, rooms: 20, members: 20, rate: 1500, warmup: 2, duration: 10,
    drain: 15, contentBytes: 120, mentionShare: 0, serverPid: null, concurrency: 32, json: false,
  };
  const numeric = {
    '--rooms': 'rooms', '--members': 'members', '--rate': 'rate', '--warmup': 'warmup',
    '--duration': 'duration', '--drain': 'drain', '--content-bytes': 'contentBytes',
    '--mention-share': 'mentionShare', '--server-pid': 'serverPid', '--concurrency': 'concurrency',
  };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') { console.log(USAGE); process.exit(0); }
    else if (arg === '--target') options.target = argv[++i];
    else if (arg === '--url') options.url = argv[++i];
    else if (numeric[arg]) {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`${arg} needs a number, got ${argv[i]}`);
      options[numeric[arg]] = value;
    } else {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  if (options.target !== 'seed' && options.target !== 'confab') throw new Error(`--target seed|confab\n${USAGE}`);
  if (!options.url) throw new Error(`--url is required\n${USAGE}`);
  if (options.rooms < 1 || options.members < 1 || options.rate <= 0 || options.duration <= 0) {
    throw new Error('--rooms, --members, --rate and --duration must be positive');
  }
  if (options.members > 250) throw new Error('--members is at most 250 (one byte per delivery slot)');
  return options;
}

function printText(report) {
  const lat = report.latency.sendToDelivery;
  const ack = report.latency.sendToAck;
  const lines = [
    `target ${report.target} (${report.url}): ${report.scenario.rooms} rooms x ${report.scenario.members} members, ` +
      `${report.scenario.rate} msg/s offered, ${report.scenario.warmup} s warm-up + ${report.scenario.duration} s`,
    `deliveries/s ${report.throughput.deliveriesPerSecond}, acks/s ${report.throughput.acksPerSecond}, ` +
      `sends/s ${report.throughput.sendsPerSecond}, max send lag ${report.throughput.maxSendLagMs} ms`,
    `send->delivery ms: p50 ${lat.p50} p90 ${lat.p90} p99 ${lat.p99} max ${lat.max} (${lat.count} samples)`,
    `send->ack ms:      p50 ${ack.p50} p90 ${ack.p90} p99 ${ack.p99} max ${ack.max}`,
    `sent ${report.delivery.sent}, acked ${report.delivery.acked}, unacked ${report.delivery.unacked}, ` +
      `lost ${report.delivery.lost}, duplicates ${report.delivery.duplicates}, mentions ${report.delivery.mentionsReceived}` +
      `/${report.delivery.mentionsExpected}, errors ${JSON.stringify(report.errorsByCode)}`,
    `server CPU ${report.server.cpuSeconds} s in the window (${report.server.cpuCores} cores): ` +
      `${report.server.cpuMsPer1000Deliveries} ms per 1,000 deliveries; tool ${report.tool.cpuCores} cores`,
  ];
  console.log(lines.join('\n'));
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const run = new Run(options);
  const Adapter = options.target === 'seed' ? SeedAdapter : ConfabAdapter;
  const adapter = new Adapter(options.url, run);
  const report = await run.execute(adapter);
  if (options.json) console.log(JSON.stringify(report));
  else printText(report);
  // Sockets and the server's keep-alives would hold the loop open.
  process.exit(0);
}

main().catch(err => {
  console.error(`load.js: ${err.message}`);
  process.exit(1);
});
