// A Map used as a cache of fixed size: the oldest entry leaves when a new one would pass
// the bound. Shared by the caches that keep recent results (address fields, part headers,
// attachment digests, derived keys) and the Postfix parser's notification links.

/** Set `key` in `map`, first dropping the oldest entry when the map holds `max` already; returns `value`. */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}
