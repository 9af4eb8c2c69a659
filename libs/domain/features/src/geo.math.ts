const EARTH_RADIUS_KM = 6371.0088;

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** Great-circle distance (haversine), km. */
export function distanceKm(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Location as stored in feature state: the shortest text that reads back to the same doubles. */
export function encodeLocation(point: LatLon): string {
  return `${point.lat},${point.lon}`;
}

export function decodeLocation(text: string): LatLon {
  const comma = text.indexOf(',');
  return { lat: Number(text.slice(0, comma)), lon: Number(text.slice(comma + 1)) };
}

/** Half-degree grid cell (about 55 km), the unit of a customer's "home". */
export function geoCell(point: LatLon): string {
  return `${Math.floor(point.lat * 2)}:${Math.floor(point.lon * 2)}`;
}

export function cellCentre(cell: string): LatLon {
  const [lat, lon] = cell.split(':').map(Number) as [number, number];
  return { lat: (lat + 0.5) / 2, lon: (lon + 0.5) / 2 };
}

/** Local solar hour (0–23) from UTC time and longitude: no time-zone database needed, stable under travel. */
export function localHour(eventTime: number, lon: number | null): number {
  const offsetHours = lon === null ? 0 : Math.round(lon / 15);
  return (((new Date(eventTime).getUTCHours() + offsetHours) % 24) + 24) % 24;
}
