export * from './case.mapper';
export * from './case-intake.service';
export * from './case-work.service';
