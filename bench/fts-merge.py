#!/usr/bin/env python3
"""How FTS5's trigram index behaves as it grows, without a server.

Writes batches of messages into an FTS5 table as the server's writer does
(one transaction per batch, WAL, synchronous=FULL, no automatic checkpoint)
and prints, every 200 transactions, the median and longest transaction, and
every transaction over 100 ms with its insert and COMMIT parts. Then times
phrase queries. bench/README.md, "Issue 17, fourth round", has the figures.

  bench/fts-merge.py DB --text filler|words [--transactions N] [--batch N]
                     [--options ", columnsize=0"] [--set automerge=8 ...]
"""
import argparse
import os
import random
import sqlite3
import time


def chat_like_pool(size):
    # Words of a Zipf-skewed vocabulary, a third of the messages Chinese:
    # thousands of distinct trigrams, as in real conversation.
    rng = random.Random(1)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(20000)]
    chinese = [chr(0x4E00 + rng.randint(0, 3000)) + chr(0x4E00 + rng.randint(0, 3000)) for _ in range(5000)]
    weights = [1.0 / (i + 1) for i in range(len(words))]
    chinese_weights = [1.0 / (i + 1) for i in range(len(chinese))]

    def text():
        if rng.random() < 0.3:
            return "".join(rng.choices(chinese, chinese_weights, k=rng.randint(5, 30)))
        return " ".join(rng.choices(words, weights, k=rng.randint(4, 25)))

    return [text() for _ in range(size)], words, chinese


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--text", choices=["filler", "words"], default="words")
    parser.add_argument("--transactions", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=1250)  # 250 ms at 5,000 msg/s
    parser.add_argument("--options", default="")
    parser.add_argument("--set", action="append", default=[])
    args = parser.parse_args()

    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)
    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("CREATE VIRTUAL TABLE s USING fts5(body, tokenize='trigram'" + args.options + ")")
    for setting in args.set:
        key, value = setting.split("=")
        db.execute("INSERT INTO s(s, rank) VALUES(?, ?)", (key, int(value)))

    pool, words, chinese = chat_like_pool(50000)
    filler = "bench " + "x" * 114
    rowid, window, total, worst = 0, [], 0.0, 0.0
    for t in range(args.transactions):
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO s(rowid, body) VALUES(?, ?)",
                       ((rowid + i, filler if args.text == "filler" else pool[(rowid + i) % len(pool)])
                        for i in range(args.batch)))
        inserted = time.perf_counter()
        db.execute("COMMIT")
        end = time.perf_counter()
        rowid += args.batch
        ms = (end - start) * 1000
        if ms > 100:
            print(f"  transaction {t}: insert {(inserted - start) * 1000:.0f} ms, "
                  f"commit {(end - inserted) * 1000:.0f} ms", flush=True)
        window.append(ms)
        worst = max(worst, ms)
        total += ms
        if len(window) == 200:
            window.sort()
            print(f"transactions {t + 1:5d}, rows {rowid:9d}: p50 {window[100]:6.1f} ms, "
                  f"max {window[-1]:7.1f} ms", flush=True)
            window = []
    print(f"{rowid} rows in {total / 1000:.1f} s: {rowid / (total / 1000):.0f} rows/s, "
          f"longest transaction {worst:.0f} ms, file and log "
          f"{(os.path.getsize(args.db) + os.path.getsize(args.db + '-wal')) / 1e6:.0f} MB")

    queries = [w for w in words[:40] if len(w) >= 4][:6] + [w for w in words[5000:5100] if len(w) >= 5][:4]
    queries += [chinese[0] + chinese[1], chinese[3] + chinese[4], words[0] + " " + words[1]]
    if args.text == "filler":
        queries = ["bench", "xxxxx", "nch xx"]
    timings = []
    for query in queries:
        start = time.perf_counter()
        for _ in range(5):
            db.execute("SELECT rowid FROM s WHERE s MATCH ? ORDER BY rowid DESC LIMIT 50",
                       ('"' + query + '"',)).fetchall()
        timings.append((time.perf_counter() - start) / 5 * 1000)
    print("phrase queries (ms, newest 50): " + " ".join(f"{ms:.1f}" for ms in timings))


if __name__ == "__main__":
    main()
