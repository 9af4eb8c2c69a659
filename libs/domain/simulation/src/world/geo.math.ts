const EARTH_RADIUS_KM = 6371;
const RADIANS = Math.PI / 180;

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RADIANS;
  const dLon = (b.lon - a.lon) * RADIANS;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RADIANS) * Math.cos(b.lat * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A point within about `radiusKm` of `centre` (uniform in a square, good enough at city scale). */
export function jitter(centre: LatLon, radiusKm: number, u: number, v: number): LatLon {
  const dLat = ((u * 2 - 1) * radiusKm) / 111;
  const dLon = ((v * 2 - 1) * radiusKm) / (111 * Math.max(0.2, Math.cos(centre.lat * RADIANS)));
  return { lat: roundCoordinate(centre.lat + dLat), lon: roundCoordinate(centre.lon + dLon) };
}

/** Five decimals (about a metre): what the CSV carries, so a row read back gives the same number. */
export function roundCoordinate(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}
