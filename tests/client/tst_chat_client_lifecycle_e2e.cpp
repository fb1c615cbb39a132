// ChatClient through the message lifecycle against the real server (an
// in-process TestServer, real WebSocket clients, a real database; both
// backends): bob edits, reacts and deletes live; mei edits her last message,
// replies, reacts and deletes through the controllers; and after the server
// was down, the open room catches up on the changes it missed.
#include "client_app_fixture.h"
#include "dependency.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QTest>

using namespace confab;
using namespace confab::test;
using client::ChatClient;
using client::MessageListModel;

namespace {

QJsonObject edit(TestClient& c, qint64 messageId, const QString& content)
{
    return c.request(QStringLiteral("edit_message"), {{QStringLiteral("messageId"), double(messageId)},
                                                      {QStringLiteral("content"), content}});
}

QJsonObject react(TestClient& c, qint64 messageId, const QString& emoji, bool on)
{
    return c.request(QStringLiteral("react"), {{QStringLiteral("messageId"), double(messageId)},
                                               {QStringLiteral("emoji"), emoji},
                                               {QStringLiteral("on"), on}});
}

QJsonObject remove(TestClient& c, qint64 messageId)
{
    return c.request(QStringLiteral("delete_message"), {{QStringLiteral("messageId"), double(messageId)}});
}

bool isOk(const QJsonObject& reply)
{
    return reply.value(QLatin1String("type")).toString() == QLatin1String("ok");
}

} // namespace

class TestChatClientLifecycleE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        CONFAB_REQUIRE_TEST_BACKEND();
        ClientFixture::prepareEnvironment();
    }
    void liveChangesBothWays();
    void reconnectCatchesUpOnChanges();

private:
    static QVariant at(ChatClient& c, qint64 id, int role)
    {
        MessageListModel* model = c.conversation()->messages();
        return model->data(model->index(model->rowOfMessage(Id(id))), role);
    }
};

void TestChatClientLifecycleE2e::liveChangesBothWays()
{
    TestServer server(TestServer::fastSendersConfig());
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(me && bob);
    const qint64 room = createGroup(*bob, QStringLiteral("lifecycle"), {me->userId});
    const qint64 bobs = sendMessage(*bob, room, QStringLiteral("Lunch at noon?"));
    const qint64 mine = sendMessage(*me, room, QStringLiteral("Sure, see you thre"));
    QVERIFY(bobs && mine);

    auto client = ClientFixture::create(QStringLiteral("lifecycle-e2e"));
    QAbstractItemModelTester tester(client->conversation()->messages(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));

    QVERIFY(isOk(edit(*bob, bobs, QStringLiteral("Lunch at one?"))));
    QTRY_COMPARE(at(*client, bobs, MessageListModel::ContentRole).toString(),
                 QStringLiteral("Lunch at one?"));
    QVERIFY(at(*client, bobs, MessageListModel::EditedRole).toBool());
    QVERIFY(isOk(react(*bob, mine, QString::fromUtf8("👍"), true)));
    QTRY_COMPARE(at(*client, mine, MessageListModel::ReactionsRole).toList().size(), 1);

    // Mei: Up-edit of her last message, a reply, a reaction toggled on and off.
    auto* composer = client->composer();
    QCOMPARE(composer->startEditLast().value(QStringLiteral("content")).toString(),
             QStringLiteral("Sure, see you thre"));
    composer->submit(QStringLiteral("Sure, see you there"), {});
    QTRY_COMPARE(at(*client, mine, MessageListModel::ContentRole).toString(),
                 QStringLiteral("Sure, see you there"));
    composer->startReply(double(bobs));
    composer->sendMessage(QStringLiteral("One works"), {});
    MessageListModel* model = client->conversation()->messages();
    QTRY_COMPARE(model->rowCount(), 3);
    QTRY_VERIFY(model->newestId() > Id(mine));
    const qint64 reply = qint64(model->newestId());
    QTRY_COMPARE(at(*client, reply, MessageListModel::ReplyPreviewRole)
                     .toMap()
                     .value(QStringLiteral("text"))
                     .toString(),
                 QStringLiteral("Lunch at one?"));
    composer->toggleReaction(double(bobs), QString::fromUtf8("🎉"));
    QTRY_COMPARE(at(*client, bobs, MessageListModel::ReactionsRole).toList().size(), 1);
    composer->toggleReaction(double(bobs), QString::fromUtf8("🎉"));
    QTRY_COMPARE(at(*client, bobs, MessageListModel::ReactionsRole).toList().size(), 0);

    // Bob deletes his message: a placeholder, and the reply says so.
    QVERIFY(isOk(remove(*bob, bobs)));
    QTRY_VERIFY(at(*client, bobs, MessageListModel::DeletedRole).toBool());
    QCOMPARE(at(*client, bobs, MessageListModel::ContentRole).toString(), QString());
    QTRY_VERIFY(at(*client, reply, MessageListModel::ReplyPreviewRole)
                    .toMap()
                    .value(QStringLiteral("deleted"))
                    .toBool());
    // Mei deletes hers.
    composer->deleteMessage(double(mine));
    QTRY_VERIFY(at(*client, mine, MessageListModel::DeletedRole).toBool());
    QCOMPARE(model->rowCount(), 3);
}

void TestChatClientLifecycleE2e::reconnectCatchesUpOnChanges()
{
    const quint16 port = ClientFixture::freePort();
    TestServer server(fixedPortConfig(port));
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(me && bob);
    const qint64 room = createGroup(*bob, QStringLiteral("away"), {me->userId});
    const qint64 first = sendMessage(*bob, room, QStringLiteral("draft agenda"));
    const qint64 second = sendMessage(*me, room, QStringLiteral("looks good"));
    const qint64 third = sendMessage(*bob, room, QStringLiteral("wrong room"));
    QVERIFY(first && second && third);

    auto client = ClientFixture::create(QStringLiteral("lifecycle-away"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));
    client->session()->setReconnectDelays(1500, 1500);

    server.stop();
    QTRY_VERIFY(client->account()->connectionState() != client::Session::State::Online);
    QVERIFY(server.start());
    bob = server.client();
    QVERIFY(bob->signIn(QStringLiteral("bob")));
    // While mei is away: an edit, a reaction, a deletion, a new message.
    QVERIFY(isOk(edit(*bob, first, QStringLiteral("final agenda"))));
    QVERIFY(isOk(react(*bob, second, QString::fromUtf8("✅"), true)));
    QVERIFY(isOk(remove(*bob, third)));
    QVERIFY(sendMessage(*bob, room, QStringLiteral("see you at ten")));

    QTRY_VERIFY_WITH_TIMEOUT(client->account()->connectionState() == client::Session::State::Online, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(client->conversation()->messages()->rowCount(), 4, 10000);
    QTRY_COMPARE(at(*client, first, MessageListModel::ContentRole).toString(),
                 QStringLiteral("final agenda"));
    QTRY_COMPARE(at(*client, second, MessageListModel::ReactionsRole).toList().size(), 1);
    QTRY_VERIFY(at(*client, third, MessageListModel::DeletedRole).toBool());
}

CONFAB_TEST_MAIN(TestChatClientLifecycleE2e)

#include "tst_chat_client_lifecycle_e2e.moc"
