import { Type } from '@sinclair/typebox';
import { Id, Timestamp } from '../common.schemas.js';
import { VisibleText } from '../visible-text.js';

export const EntryView = Type.Object({
  id: Id,
  body: Type.String(),
  createdAt: Timestamp,
  author: Type.Object({
    name: Type.String(),
    kind: Type.Union([Type.Literal('usager'), Type.Literal('staff'), Type.Literal('operateur')]),
  }),
});

export const EntryList = Type.Object({ items: Type.Array(EntryView) });

export const NewEntryBody = Type.Object(
  { body: VisibleText({ minVisible: 1, maxLength: 10_000 }) },
  { additionalProperties: false },
);
