import { defineRoute } from '../../http/route.js';
import { MyDataExport } from './my-data.schemas.js';
import { exportMyData } from './my-data.service.js';

export const myDataRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/me/data-export',
    summary: 'Download everything Cloison holds about me (JSON attachment, never cached)',
    tags: ['persons'],
    policy: { action: 'me.export' },
    response: MyDataExport,
    handler: async ({ deps, actor, reply }) => {
      const data = await exportMyData(deps, actor);
      reply
        .header('content-disposition', 'attachment; filename="mes-donnees-cloison.json"')
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff');
      return data;
    },
  }),
];
