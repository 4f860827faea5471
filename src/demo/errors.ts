/** The demo loader's errors. */
import { DomainError } from '../errors';

/** Demo data for this seed is in the database already (loading it twice would duplicate every row). */
export class DemoAlreadyLoaded extends DomainError {
  constructor(readonly seed: number) {
    super('demo_already_loaded', `demo data for seed ${seed} is already loaded; choose another --seed`);
  }
}
