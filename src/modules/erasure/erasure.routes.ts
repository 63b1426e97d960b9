import { defineRoute } from '../../http/route.js';
import { erasePerson } from './erasure.service.js';
import { listCertificates, readCertificate } from './certificate.service.js';
import {
  CertificateParams,
  ErasureBody,
  ErasureCertificateList,
  ErasureCertificateView,
  PersonParams,
} from './erasure.schemas.js';

export const erasureRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/persons/:personId/erasure',
    summary:
      'Erase a person: destroy their data key and every row about them; returns the certificate',
    tags: ['persons'],
    policy: { action: 'person.erase' },
    params: PersonParams,
    body: ErasureBody,
    status: 201,
    response: ErasureCertificateView,
    handler: async ({ deps, actor, params, body }) =>
      erasePerson(deps, actor, params.personId, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/erasure-certificates',
    summary: 'The erasure certificates of my département, newest first, each as signed',
    tags: ['persons'],
    policy: { action: 'erasure.readCertificates' },
    response: ErasureCertificateList,
    handler: async ({ deps, actor }) => listCertificates(deps, actor),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/erasure-certificates/:certificateId',
    summary:
      'One erasure certificate with its signed statement (`cloison certificates verify` checks it)',
    tags: ['persons'],
    policy: { action: 'erasure.readCertificates' },
    params: CertificateParams,
    response: ErasureCertificateView,
    handler: async ({ deps, actor, params }) => readCertificate(deps, actor, params.certificateId),
  }),
];
