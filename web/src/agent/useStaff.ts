import { useEffect, useState } from 'react';
import type { Me } from '../api/auth';
import { listStaff, type StaffMember } from '../api/staff';

/**
 * The département's staff, for the roles the API lets list it (responsable); others get an
 * empty list and the pages say "un autre agent" instead of a name.
 */
export function useStaff(me: Me): StaffMember[] {
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const allowed = me.role === 'responsable';
  useEffect(() => {
    if (!allowed) return;
    let live = true;
    listStaff()
      .then((items) => live && setStaff(items))
      .catch(() => live && setStaff([]));
    return () => {
      live = false;
    };
  }, [allowed]);
  return staff;
}
