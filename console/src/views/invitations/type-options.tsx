import { INVITATION_TYPES } from '../../../../lambdas/domain/invitation';
import { words } from '../../ui/format';

/** One `<option>` per invitation type, the type's value shown in words. */
export const TypeOptions = () => (
  <>
    {INVITATION_TYPES.map((type) => (
      <option key={type} value={type}>
        {words(type)}
      </option>
    ))}
  </>
);
