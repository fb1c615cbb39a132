// search_users and search_messages against a real server, Chinese included.
#include "test_server.h"

#include <QJsonArray>
#include <QTest>

using namespace confab::test;

namespace {
QStringList contents(const QJsonObject& reply)
{
    QStringList out;
    for (const QJsonValue& m : payloadOf(reply).value(QLatin1String("messages")).toArray())
        out.append(m.toObject().value(QLatin1String("content")).toString());
    return out;
}
QStringList usernames(const QJsonObject& reply)
{
    QStringList out;
    for (const QJsonValue& u : payloadOf(reply).value(QLatin1String("users")).toArray())
        out.append(u.toObject().value(QLatin1String("username")).toString());
    return out;
}
QJsonObject search(TestClient& c, const QString& query, QJsonObject extra = {})
{
    extra.insert(QStringLiteral("query"), query);
    return c.request(QStringLiteral("search_messages"), extra);
}
} // namespace

class TestServerSearch : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void usersByPrefixOfNameOrDisplayName();
    void englishIsCaseInsensitiveSubstring();
    void chineseOneTwoThreeCharacterQueries();
    void onlyTheCallersRooms();
    void pagingNewestFirst();
    void badQueries();

private:
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_alice, m_bob, m_eve;
    qint64 m_team = 0, m_secret = 0;
};

void TestServerSearch::initTestCase()
{
    CONFAB_REQUIRE_TEST_BACKEND();
    auto config = TestServer::defaultConfig();
    config.sendBurst = 10000;
    m_server = std::make_unique<TestServer>(config);
    QVERIFY(m_server->start());
    m_alice = m_server->user(QStringLiteral("alice"));
    m_bob = m_server->client();
    QCOMPARE(typeOf(m_bob->request(QStringLiteral("register"),
                                   {{QStringLiteral("username"), QStringLiteral("bob")},
                                    {QStringLiteral("password"), QStringLiteral("pw")},
                                    {QStringLiteral("displayName"), QStringLiteral("Émile Zola")}})),
             QStringLiteral("auth_ok"));
    m_bob->userId = idOf(payloadOf(m_bob->request(QStringLiteral("search_users"),
                                                  {{QStringLiteral("query"), QStringLiteral("bob")}}))
                             .value(QLatin1String("users"))
                             .toArray()
                             .at(0)
                             .toObject()
                             .value(QLatin1String("id")));
    m_eve = m_server->user(QStringLiteral("eve"));
    QVERIFY(m_alice && m_bob->userId && m_eve);
    QVERIFY(m_server->user(QStringLiteral("alfred")));
    QVERIFY(m_server->user(QStringLiteral("bobby")));
    m_team = createGroup(*m_alice, QStringLiteral("team"), {m_bob->userId});
    m_secret = createGroup(*m_eve, QStringLiteral("eve only"), {});
    QVERIFY(m_team && m_secret);
    const QStringList teamMessages = {
        QStringLiteral("Deploy the SERVER tonight"),
        QStringLiteral("我们明天开会讨论服务器"),
        QStringLiteral("中文搜索测试"),
        QStringLiteral("server logs look fine"),
        QStringLiteral("会议改到下午"),
        QStringLiteral("emoji 😀 party"),
    };
    for (const QString& text : teamMessages)
        QVERIFY(sendMessage(*m_alice, m_team, text));
    QVERIFY(sendMessage(*m_eve, m_secret, QStringLiteral("eve's server 会议 secret")));
}

void TestServerSearch::cleanupTestCase()
{
    m_alice.reset();
    m_bob.reset();
    m_eve.reset();
    m_server.reset();
}

void TestServerSearch::usersByPrefixOfNameOrDisplayName()
{
    QCOMPARE(usernames(m_alice->request(QStringLiteral("search_users"),
                                        {{QStringLiteral("query"), QStringLiteral("AL")}})),
             (QStringList{QStringLiteral("alfred"), QStringLiteral("alice")}));
    // Display names match too, with Unicode case folding.
    QCOMPARE(usernames(m_alice->request(QStringLiteral("search_users"),
                                        {{QStringLiteral("query"), QStringLiteral("émi")}})),
             QStringList{QStringLiteral("bob")});
    // Prefix, not substring.
    QCOMPARE(usernames(m_alice->request(QStringLiteral("search_users"),
                                        {{QStringLiteral("query"), QStringLiteral("ice")}})),
             QStringList());
    // Within a room: members only; limit respected.
    QCOMPARE(usernames(m_alice->request(QStringLiteral("search_users"),
                                        {{QStringLiteral("query"), QStringLiteral("b")},
                                         {QStringLiteral("roomId"), double(m_team)}})),
             QStringList{QStringLiteral("bob")});
    QCOMPARE(usernames(m_alice->request(QStringLiteral("search_users"),
                                        {{QStringLiteral("query"), QString()}, {QStringLiteral("limit"), 2}}))
                 .size(),
             2);
    // LIKE wildcards are plain characters.
    QCOMPARE(usernames(m_alice->request(QStringLiteral("search_users"),
                                        {{QStringLiteral("query"), QStringLiteral("%")}})),
             QStringList());
    QCOMPARE(usernames(m_alice->request(QStringLiteral("search_users"),
                                        {{QStringLiteral("query"), QStringLiteral("_")}})),
             QStringList());
}

void TestServerSearch::englishIsCaseInsensitiveSubstring()
{
    QCOMPARE(
        contents(search(*m_alice, QStringLiteral("server"))),
        (QStringList{QStringLiteral("server logs look fine"), QStringLiteral("Deploy the SERVER tonight")}));
    QCOMPARE(contents(search(*m_alice, QStringLiteral("ERVE"))).size(), 2); // inside a word
    QCOMPARE(contents(search(*m_alice, QStringLiteral("ok"))),
             QStringList{QStringLiteral("server logs look fine")});
    QCOMPARE(contents(search(*m_alice, QStringLiteral("😀"))), QStringList{QStringLiteral("emoji 😀 party")});
    QCOMPARE(contents(search(*m_alice, QStringLiteral("nothing like this"))), QStringList());
}

void TestServerSearch::chineseOneTwoThreeCharacterQueries()
{
    QCOMPARE(contents(search(*m_alice, QStringLiteral("会"))),
             (QStringList{QStringLiteral("会议改到下午"), QStringLiteral("我们明天开会讨论服务器")}));
    QCOMPARE(contents(search(*m_alice, QStringLiteral("会议"))), QStringList{QStringLiteral("会议改到下午")});
    QCOMPARE(contents(search(*m_alice, QStringLiteral("服务器"))),
             QStringList{QStringLiteral("我们明天开会讨论服务器")});
    QCOMPARE(contents(search(*m_alice, QStringLiteral("中文搜索"))),
             QStringList{QStringLiteral("中文搜索测试")});
    QCOMPARE(contents(search(*m_alice, QStringLiteral("搜索测试x"))), QStringList());
}

void TestServerSearch::onlyTheCallersRooms()
{
    // Eve's own room holds "server" and "会议" too; alice and bob never see it.
    for (TestClient* c : {m_alice.get(), m_bob.get()}) {
        const QStringList found = contents(search(*c, QStringLiteral("server")));
        QVERIFY(!found.join(QLatin1Char('|')).contains(QLatin1String("eve")));
        QVERIFY(!contents(search(*c, QStringLiteral("会议")))
                     .join(QLatin1Char('|'))
                     .contains(QLatin1String("secret")));
    }
    QCOMPARE(contents(search(*m_eve, QStringLiteral("会议"))),
             QStringList{QStringLiteral("eve's server 会议 secret")});
    // A room filter narrows; a room of others is refused like any other.
    QCOMPARE(
        contents(search(*m_alice, QStringLiteral("server"), {{QStringLiteral("roomId"), double(m_team)}}))
            .size(),
        2);
    QCOMPARE(errorCodeOf(
                 search(*m_alice, QStringLiteral("server"), {{QStringLiteral("roomId"), double(m_secret)}})),
             QStringLiteral("forbidden"));
}

void TestServerSearch::pagingNewestFirst()
{
    const QJsonObject first = search(*m_alice, QStringLiteral("e"), {{QStringLiteral("limit"), 2}});
    const QJsonObject p = payloadOf(first);
    QCOMPARE(p.value(QLatin1String("messages")).toArray().size(), 2);
    QCOMPARE(p.value(QLatin1String("hasMore")).toBool(), true);
    QList<qint64> ids;
    QJsonObject page = p;
    for (int guard = 0; guard < 10; ++guard) {
        for (const QJsonValue& m : page.value(QLatin1String("messages")).toArray())
            ids.append(idOf(m.toObject().value(QLatin1String("id"))));
        if (!page.value(QLatin1String("hasMore")).toBool())
            break;
        const qint64 next = page.contains(QLatin1String("nextBeforeId"))
                                ? idOf(page.value(QLatin1String("nextBeforeId")))
                                : ids.last();
        page = payloadOf(search(*m_alice, QStringLiteral("e"),
                                {{QStringLiteral("limit"), 2}, {QStringLiteral("beforeId"), double(next)}}));
    }
    // "e" occurs in: Deploy the SERVER tonight, server logs look fine, emoji 😀 party.
    QCOMPARE(ids.size(), 3);
    QVERIFY(std::is_sorted(ids.rbegin(), ids.rend())); // newest first
}

void TestServerSearch::badQueries()
{
    QCOMPARE(errorCodeOf(search(*m_alice, QStringLiteral("   "))), QStringLiteral("bad_request"));
    QCOMPARE(errorCodeOf(search(*m_alice, QString(201, QLatin1Char('x')))), QStringLiteral("bad_request"));
    QCOMPARE(errorCodeOf(m_alice->request(QStringLiteral("search_messages"), {{QStringLiteral("query"), 3}})),
             QStringLiteral("bad_request"));
    QCOMPARE(errorCodeOf(m_alice->request(QStringLiteral("search_users"), {})),
             QStringLiteral("bad_request"));
    // FTS syntax in a query is just text.
    QCOMPARE(contents(search(*m_alice, QStringLiteral("\"server\" OR *"))), QStringList());
}

CONFAB_TEST_MAIN(TestServerSearch)
#include "tst_server_search.moc"
