// An in-memory stand-in for the part of Mongoose that the seed's server.js
// uses, so that server.js keeps the seed's code as published and only its
// `require('mongoose')` changes. MongoDB is not packaged for Debian 12, so
// the baseline runs without it.
//
// This is the seed's best case: nothing is written to disk (no journal, no
// fsync) and every call resolves at once, with no round trip to a database
// process. Like MongoDB, `_id` and fields declared `unique` are looked up
// through an index (a Map); every other query scans the collection, because
// the seed declares no other index (it recommends roomId + createdAt in its
// notes but does not create it).
'use strict';

let counter = Math.floor(Math.random() * 0xffffff);

// 12 bytes like a BSON ObjectId: seconds, 5 random bytes, a counter. Ids made
// later compare greater as strings, which `{ _id: { $lt: id } }` relies on.
const processRandom = Array.from({ length: 5 }, () => Math.floor(Math.random() * 256)
  .toString(16).padStart(2, '0')).join('');

class ObjectId {
  constructor(hex) {
    if (hex !== undefined) {
      this.hex = String(hex);
      return;
    }
    counter = (counter + 1) % 0x1000000;
    const seconds = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
    this.hex = seconds + processRandom + counter.toString(16).padStart(6, '0');
  }
  toString() { return this.hex; }
  toJSON() { return this.hex; }
  equals(other) { return other != null && other.toString() === this.hex; }
}

class Schema {
  constructor(definition) { this.definition = definition; }
}
Schema.Types = { ObjectId };

function key(value) {
  return value == null ? value : value.toString();
}

function matches(doc, query) {
  for (const [field, condition] of Object.entries(query)) {
    const value = doc[field];
    if (condition !== null && typeof condition === 'object' && !(condition instanceof ObjectId)) {
      if ('$lt' in condition && !(key(value) < key(condition.$lt))) return false;
      continue;
    }
    if (key(value) !== key(condition)) return false;
  }
  return true;
}

// A query is thenable, as Mongoose's are, so `await Model.find(q)` and
// `Model.find(q).sort().limit().lean()` both work.
class Query {
  constructor(run) { this.run = run; this.order = null; this.max = Infinity; }
  sort(order) { this.order = order; return this; }
  limit(n) { this.max = n; return this; }
  lean() { return this; }
  then(resolve, reject) {
    return Promise.resolve().then(() => {
      let result = this.run();
      if (!Array.isArray(result)) return result;
      if (this.order) {
        const [[field, direction]] = Object.entries(this.order);
        result = result.slice().sort((a, b) =>
          (key(a[field]) < key(b[field]) ? -1 : key(a[field]) > key(b[field]) ? 1 : 0) * direction);
      }
      return result.slice(0, this.max);
    }).then(resolve, reject);
  }
}

function model(name, schema) {
  const byId = new Map();
  const uniqueFields = Object.entries(schema.definition)
    .filter(([, spec]) => spec && spec.unique).map(([field]) => field);
  const unique = new Map(uniqueFields.map(field => [field, new Map()]));

  class Model {
    constructor(fields) {
      for (const [field, spec] of Object.entries(schema.definition)) {
        if (spec && typeof spec.default === 'function') this[field] = spec.default();
      }
      Object.assign(this, fields);
      if (this._id === undefined) this._id = new ObjectId();
    }

    save() {
      return Promise.resolve().then(() => {
        for (const field of uniqueFields) {
          const existing = unique.get(field).get(this[field]);
          if (existing && existing !== this) throw new Error(`E11000 duplicate key ${name}.${field}`);
        }
        byId.set(key(this._id), this);
        for (const field of uniqueFields) unique.get(field).set(this[field], this);
        return this;
      });
    }

    static findById(id) {
      return new Query(() => byId.get(key(id)) || null);
    }

    static findOne(query) {
      return new Query(() => {
        const fields = Object.keys(query);
        if (fields.length === 1 && unique.has(fields[0])) return unique.get(fields[0]).get(query[fields[0]]) || null;
        for (const doc of byId.values()) if (matches(doc, query)) return doc;
        return null;
      });
    }

    static find(query) {
      return new Query(() => [...byId.values()].filter(doc => matches(doc, query)));
    }
  }
  Object.defineProperty(Model, 'name', { value: name });
  return Model;
}

module.exports = {
  connect: async () => {},
  Schema,
  model,
  Types: { ObjectId },
};
