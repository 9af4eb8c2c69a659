/** Injection token of the watched case policy file. */
export const CASE_POLICY = Symbol('CASE_POLICY_FILE');
