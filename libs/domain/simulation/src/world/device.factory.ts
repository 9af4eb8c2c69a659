import type { Rng } from '../random/seeded.random';
import { deviceFingerprint } from './entity-ids.format';
import { countryInfo } from './places.data';
import type { Device } from './world.types';

/** An IPv4 address in one of the country's ranges (never private, loopback or multicast). */
export function ipAddressIn(countryCode: string, rng: Rng): string {
  const first = rng.pick(countryInfo(countryCode).ipFirstOctets);
  return `${first}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

/** Hands out devices with fingerprints unique within a seed. */
export class DeviceFactory {
  private issued = 0;

  constructor(private readonly seed: number) {}

  device(countryCode: string, rng: Rng, ip?: string): Device {
    return { fingerprint: deviceFingerprint(this.issued++, this.seed), ip: ip ?? ipAddressIn(countryCode, rng) };
  }
}
