import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Me } from '../api/types';
import type { StaffMember } from '../api/types';

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
    api
      .get<{ items: StaffMember[] }>('/api/v1/staff')
      .then((res) => live && setStaff(res.items))
      .catch(() => live && setStaff([]));
    return () => {
      live = false;
    };
  }, [allowed]);
  return staff;
}
