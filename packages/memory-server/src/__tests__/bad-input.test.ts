import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import { isPostgresUrl } from '../store/postgres/pg-pool';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { inProcessOnly, STORE_CONFORMANCE } from './helpers/transports';

/** Everything a refused call could have changed, read through a connection of its own. */
async function snapshot(dbPath: string): Promise<unknown> {
  if (isPostgresUrl(dbPath)) return postgresSnapshot(dbPath);
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    return {
      contexts: db
        .prepare(
          'SELECT id, project, topic, version, tags, priority, is_latest, archived_at, access_count FROM contexts ORDER BY id',
        )
        .all(),
      topics: db.prepare('SELECT * FROM topics ORDER BY project, topic').all(),
      tags: db.prepare('SELECT count(*) AS n FROM context_tags').get(),
      fts: db.prepare("SELECT count(*) AS n FROM context_fts WHERE context_fts MATCH 'seed'").get(),
    };
  } finally {
    db.close();
  }
}

/** {@link snapshot} of a PostgreSQL store: every version's row, the topics, and the indexed words. */
async function postgresSnapshot(url: string): Promise<unknown> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const rows = async (sql: string): Promise<unknown[]> => (await client.query(sql)).rows as unknown[];
    return {
      contexts: await rows(
        'SELECT id, project, topic, version, tags, priority, is_latest, archived_at, access_count, search FROM contexts ORDER BY id',
      ),
      topics: await rows('SELECT * FROM topics ORDER BY project, topic'),
    };
  } finally {
    await client.end();
  }
}

const LONE_HIGH = '\uD800';
const LONE_LOW = '\uDC00';

describe.each(STORE_CONFORMANCE)(
  'bad input is refused clearly and changes nothing over $name',
  (transport) => {
    const itInProcess = inProcessOnly(transport);
    let h: ToolHarness;
    let before: unknown;
    beforeAll(async () => {
      h = await openToolHarness({ connect: transport.connect, store: transport.store });
      await h.ok('lock_context', { topic: 'seed', content: 'seed content', tags: 'seed' });
      await h.ok('lock_context', { topic: 'seed', content: 'seed content two', tags: 'seed' });
      before = await snapshot(h.dbPath);
    });
    afterEach(async () => {
      expect(await snapshot(h.dbPath)).toEqual(before);
    });
    afterAll(async () => {
      await h.close();
    });

    async function refused(
      tool: string,
      args: Record<string, unknown>,
      message: RegExp,
      field?: string,
    ): Promise<void> {
      const failure = await h.fail(tool, args);
      expect(failure.error).toBe('invalid_input');
      expect(failure.message).toMatch(message);
      if (field !== undefined) expect(failure.field).toBe(field);
    }

    describe('topics', () => {
      it.each([
        ['a;b', /contains ";" at index 1, which is not allowed; use letters, digits/],
        ["a'b", /contains "'" at index 1/],
        ['a b', /contains " " at index 1/],
        ['a%b', /contains "%"/],
        ['a*b', /contains "\*"/],
        ['a"b', /contains "\\""/],
        ['a\\b', /contains "\\\\"/],
        ['a\nb', /contains "\\n"/],
        ['a\u0000b', /contains "\\u0000"/],
        ['a💳', /contains "💳" at index 1/],
        ['x--y', /must not contain "--"/],
        ["seed' OR '1'='1", /contains "'"/],
        ['seed; DROP TABLE contexts', /contains ";"/],
        ['-x', /must start with a letter or digit/],
        ['_x', /must start with a letter or digit/],
        ['', /topic: must not be empty/],
        ['x'.repeat(201), /topic: is 201 characters long; the limit is 200/],
      ])('refuses the topic %j', async (topic, message) => {
        await refused('lock_context', { topic, content: 'c' }, message, 'topic');
        await refused('recall_context', { topic }, message, 'topic');
        await refused('unlock_context', { topic }, message, 'topic');
      });

      it('refuses a bad topic inside recall_batch, naming its index', async () => {
        await refused(
          'recall_batch',
          { topics: ['seed', 'ok', 'b;d'] },
          /topics\[2\]: contains ";"/,
          'topics[2]',
        );
      });

      it('accepts every allowed character', async () => {
        const topic = 'Az09_-.:/@+=x';
        const fresh = await openToolHarness({ connect: transport.connect, store: transport.store });
        try {
          await fresh.ok('lock_context', { topic, content: 'c' });
          expect(await fresh.ok('recall_context', { topic })).toMatchObject({ topic });
        } finally {
          await fresh.close();
        }
      });
    });

    describe('tags', () => {
      it.each([
        ['ok,bad;tag', /tags\[1\]: contains ";"/],
        ['two words', /tags\[0\]: contains " "/],
        ["x'--", /contains "'"/],
        ['-neg', /must start with a letter or digit/],
        ['t'.repeat(101), /is 101 characters long; the limit is 100/],
        [Array.from({ length: 51 }, (_, i) => `t${i}`).join(','), /has 51 tags; the limit is 50/],
      ])('refuses the tags %j on lock_context and context_search', async (tags, message) => {
        await refused('lock_context', { topic: 'new', content: 'c', tags }, message);
        await refused('context_search', { query: 'seed', tags }, message);
      });
    });

    describe('projects', () => {
      it.each(['bad project', '../etc', '-x', '.hidden', 'p'.repeat(65), "p'; --", 'ü'])(
        'refuses the project %j',
        async (project) => {
          await refused(
            'lock_context',
            { topic: 'new', content: 'c', project },
            /project: must be 1 to 64 characters/,
            'project',
          );
          await refused('context_dashboard', { project }, /project: must be 1 to 64/);
        },
      );

      it('refuses an empty project name rather than using the default', async () => {
        await refused(
          'lock_context',
          { topic: 'new', content: 'c', project: '' },
          /project: must be 1 to 64/,
        );
      });
    });

    describe('content', () => {
      it('refuses empty and blank content', async () => {
        await refused('lock_context', { topic: 'new', content: '' }, /content: must not be empty/, 'content');
        await refused('lock_context', { topic: 'new', content: ' \n\t ' }, /content: must not be empty/);
      });

      it('refuses content over 1 MiB in UTF-8 bytes, counting multi-byte characters', async () => {
        await refused(
          'lock_context',
          { topic: 'new', content: 'x'.repeat(1024 * 1024 + 1) },
          /content: is 1048577 bytes \(UTF-8\); the limit is 1048576/,
        );
        // 524,289 characters but 1,048,578 bytes.
        await refused('lock_context', { topic: 'new', content: 'é'.repeat(524_289) }, /is 1048578 bytes/);
      });
    });

    describe('lone UTF-16 surrogates', () => {
      it.each([
        ['lock_context', { topic: 'new', content: `bad ${LONE_HIGH} text` }, 'content'],
        ['lock_context', { topic: 'new', content: `bad ${LONE_LOW}` }, 'content'],
        ['lock_context', { topic: 'new', content: `${LONE_LOW}${LONE_HIGH}` }, 'content'],
        ['lock_context', { topic: `new${LONE_HIGH}`, content: 'c' }, 'topic'],
        ['lock_context', { topic: 'new', content: 'c', tags: `a,b${LONE_LOW}` }, 'tags'],
        ['lock_context', { topic: 'new', content: 'c', tags: ['a', `b${LONE_LOW}`] }, 'tags[1]'],
        ['lock_context', { topic: 'new', content: 'c', project: `p${LONE_HIGH}` }, 'project'],
        ['recall_context', { topic: 'seed', version: `1.0${LONE_HIGH}` }, 'version'],
        ['recall_batch', { topics: ['seed', `x${LONE_HIGH}`] }, 'topics[1]'],
        ['unlock_context', { topic_pattern: `se*${LONE_HIGH}` }, 'topic_pattern'],
        ['context_search', { query: `seed ${LONE_HIGH}` }, 'query'],
      ])('%s refuses a lone surrogate in %j', async (tool, args, field) => {
        const failure = await h.fail(tool, args);
        expect(failure).toMatchObject({ error: 'invalid_input', field });
        expect(failure.message).toMatch(/lone UTF-16 surrogate/);
      });

      it('accepts well-formed surrogate pairs', async () => {
        const fresh = await openToolHarness({ connect: transport.connect, store: transport.store });
        try {
          await fresh.ok('lock_context', { topic: 'emoji', content: 'paid 💳 ✔' });
          expect(await fresh.ok('context_search', { query: '💳 paid' })).toMatchObject({ total_found: 1 });
        } finally {
          await fresh.close();
        }
      });
    });

    describe('versions, priorities, limits', () => {
      it.each(['abc', '1', '1.x', 'v1.0', '1.0.0', '', ' 1.0'])('refuses the version %j', async (version) => {
        await refused(
          'recall_context',
          { topic: 'seed', version },
          /version: must be "latest" or a version such as "1.0"/,
        );
        await refused(
          'unlock_context',
          { topic: 'seed', version },
          /version: must be "all", "latest" or a version/,
        );
      });

      it('refuses limits that are not whole numbers in range', async () => {
        await refused(
          'context_search',
          { query: 'seed', limit: 2.5 },
          /limit: must be a whole number from 1 to 100/,
        );
        await refused('context_search', { query: 'seed', limit: -1 }, /limit/);
        await refused('context_explore', { limit: 0 }, /limit: must be a whole number from 1 to 500/);
      });
    });

    describe('what the MCP SDK refuses before a tool runs', () => {
      it('refuses an unknown tool', async () => {
        const failure = await h.fail('drop_context', { topic: 'seed' });
        expect(failure.message).toMatch(/Tool drop_context not found/);
      });

      it.each([
        ['lock_context', { topic: 'new' }, /lock_context.*content/s],
        ['lock_context', { content: 'c' }, /lock_context.*topic/s],
        ['lock_context', { topic: 'new', content: 123 }, /expected string, received number at content/],
        ['lock_context', { topic: 42, content: 'c' }, /expected string, received number at topic/],
        [
          'lock_context',
          { topic: 'new', content: 'c', priority: 'urgent' },
          /expected one of "always_check"\|"important"\|"reference" at priority/,
        ],
        [
          'lock_context',
          { topic: 'new', content: 'c', force_store: 'yes' },
          /expected boolean, received string at force_store/,
        ],
        ['lock_context', { topic: 'new', content: 'c', tags: 5 }, /tags/],
        ['recall_batch', { topics: 'seed' }, /expected array, received string at topics/],
        ['recall_batch', {}, /topics/],
        ['context_search', {}, /query/],
        ['context_search', { query: 'seed', limit: '10' }, /expected number, received string at limit/],
        ['unlock_context', { topic: 'seed', archive: 'no' }, /expected boolean, received string at archive/],
      ])('%s refuses the arguments %j with a message naming the argument', async (tool, args, message) => {
        const failure = await h.fail(tool, args);
        expect(failure.message).toMatch(/Input validation error: Invalid arguments for tool/);
        expect(failure.message).toMatch(message);
      });
    });

    itInProcess(
      'logs each refusal as a warning with the tool and the reason, never the content',
      async () => {
        const secret = 'SECRET-CUSTOMER-DATA';
        await h.fail('lock_context', { topic: 'bad;topic', content: secret });
        const line = h.logs.at(-1);
        expect(line).toMatchObject({
          level: 40,
          tool: 'lock_context',
          reason: 'invalid_input',
          field: 'topic',
        });
        expect(JSON.stringify(h.logs)).not.toContain(secret);
      },
    );
  },
);
