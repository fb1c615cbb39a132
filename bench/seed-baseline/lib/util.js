// Small helpers shared by the adapters.
'use strict';

// Runs fn(item, index) over items with at most `limit` calls in flight and
// returns the results in the items' order; the first failure fails it all.
async function runLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

module.exports = { runLimited, sleep };
