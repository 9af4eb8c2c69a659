import { loadConfig } from '@argus/config';
import { validRiskTiers } from '@argus/scoring';
import { gatewaySettings } from './gateway.config';

const KEY = 'k'.repeat(32);

describe('gateway settings', () => {
  it('loads with only the token key given, with the documented defaults', () => {
    const config = loadConfig(gatewaySettings, { ARGUS_PAN_TOKEN_KEY: KEY });
    expect(config).toMatchObject({
      clientsFile: 'deploy/config/gateway/clients.yaml',
      rulesFile: 'deploy/config/rules/default.yaml',
      policyFile: 'deploy/config/policy/default.yaml',
      scoreTimeoutMs: 50,
      decisionTtlHours: 24,
      explainMinScore: 50,
      riskTiers: { medium: 50, high: 75, critical: 90 },
    });
  });

  it('refuses to start without the token key, naming the variable', () => {
    expect(() => loadConfig(gatewaySettings, {})).toThrow(/ARGUS_PAN_TOKEN_KEY is required/);
  });

  // @argus/config may not import @argus/scoring, so it restates the rule for the risk tiers: keep them equal.
  it.each(['50,75,90', '1,2,3', '98,99,100', '0,50,90', '50,50,90', '90,75,50', '50,75,101', '10,20,30'])(
    'risk tiers %s: accepted exactly when @argus/scoring accepts them',
    (text) => {
      const [medium, high, critical] = text.split(',').map(Number) as [number, number, number];
      const accepted = gatewaySettings.riskTiers.schema.safeParse(text).success;
      expect(accepted).toBe(validRiskTiers({ medium, high, critical }));
    },
  );
});
