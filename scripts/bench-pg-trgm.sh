#!/usr/bin/env bash
# What the pg_trgm GIN index of message search does with Chinese and English
# text, in a UTF8 database whose locale is C.UTF-8 and in one whose locale is
# C (docs/search.md, "PostgreSQL"). Generates N messages (default 200,000) of
# case-folded text in each, shaped like PostgresStore's message_search, and
# prints EXPLAIN ANALYZE for 3-character queries: the count of all matches
# (does the index narrow the candidates?) and the store's page query
# (newest 21 by id, which the planner may serve from the primary key).
#
#   bench-pg-trgm.sh DIR [N]   DIR: a cluster from pg-test-cluster.sh (started if needed)
set -euo pipefail
dir="${1:?usage: $0 CLUSTER_DIR [MESSAGES]}"
messages="${2:-200000}"
eval "$(bash "$(dirname "$0")/pg-test-cluster.sh" start "$dir")"
# postgresql://role:password@host:port/postgres -> libpq variables for psql.
rest="${CONFAB_TEST_PG_URL#postgresql://}"
export PGUSER="${rest%%:*}" rest="${rest#*:}"
export PGPASSWORD="${rest%%@*}" rest="${rest#*@}"
export PGHOST="${rest%%:*}" rest="${rest#*:}"
export PGPORT="${rest%%/*}"
run() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# Chinese chat phrases and English words; a message is 4-10 phrases run
# together (Chinese has no spaces) or 5-12 words with spaces.
zh="'今天','明天','下午','上午','开会','会议','讨论','服务器','部署','测试','问题','已经','可以','我们',\
'你们','他们','项目','进度','报告','发布','版本','需求','设计','代码','修改','提交','检查','数据','数据库',\
'用户','客户','反馈','时间','安排','一下','没有','这个','那个','什么','为什么','怎么','大家','注意','完成',\
'准备','文档','接口','性能','优化','上线','回滚','日志','错误','告警','监控','周报','周会','午饭','咖啡',\
'好的','收到','谢谢','辛苦了','在吗','稍等','马上','看看','确认','同意','晚上','周末','加班','请假','出差'"
en="'the','and','deploy','build','server','release','meeting','today','tomorrow','please','check','review',\
'merge','branch','test','tests','failing','fixed','bug','issue','ticket','database','query','slow','fast',\
'lunch','coffee','thanks','ok','sure','done','ready','wait','later','morning','afternoon','update','status',\
'report','client','customer','feedback','design','code','change','commit','push','pull','request','log',\
'error','alert','monitor','latency','cpu','memory','disk','network','backup','restore','migration','schema',\
'index','search','chinese','english','message','room','user','team','weekend','holiday','vacation','plan'"

for locale in C.UTF-8 C; do
    db="confab_bench_trgm_$(echo "$locale" | tr -dc '[:alnum:]' | tr '[:upper:]' '[:lower:]')"
    echo "=== locale $locale (database $db), $messages messages"
    run -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    run -d postgres -c "CREATE DATABASE $db ENCODING 'UTF8' LC_COLLATE '$locale' LC_CTYPE '$locale' TEMPLATE template0"
    run -d "$db" <<SQL
CREATE EXTENSION pg_trgm;
CREATE TABLE message_search (message_id BIGINT PRIMARY KEY, body TEXT NOT NULL);
SELECT setseed(0.42);
INSERT INTO message_search
WITH words AS (SELECT ARRAY[$zh] AS zh, ARRAY[$en] AS en)
-- "+ 0 * i": an aggregate over outer columns only would belong to the outer query.
SELECT g, CASE WHEN g % 2 = 0
    THEN (SELECT string_agg(zh[1 + floor(random() * cardinality(zh))::int + 0 * i], '')
          FROM generate_series(1, 4 + g % 7) i)
    ELSE (SELECT string_agg(en[1 + floor(random() * cardinality(en))::int + 0 * i], ' ')
          FROM generate_series(1, 5 + g % 8) i) END
FROM generate_series(1, $messages) g, words;
\timing on
CREATE INDEX message_search_body_trgm ON message_search USING gin (body gin_trgm_ops);
\timing off
VACUUM ANALYZE message_search;
SELECT pg_size_pretty(pg_relation_size('message_search')) AS table_size,
       pg_size_pretty(pg_relation_size('message_search_body_trgm')) AS index_size;
SELECT '下午开会' AS text, show_trgm('下午开会') AS trigrams
UNION ALL SELECT 'deploy', show_trgm('deploy');
SQL
    for q in 下午开 服务器 辛苦了 龙卷风 dep the xyz; do
        echo "--- '$q'"
        run -d "$db" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
            SELECT count(*) FROM message_search WHERE body LIKE '%$q%' ESCAPE '\\'"
        run -d "$db" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
            SELECT message_id FROM message_search WHERE body LIKE '%$q%' ESCAPE '\\'
            ORDER BY message_id DESC LIMIT 21"
    done
    run -d postgres -c "DROP DATABASE $db WITH (FORCE)"
done
