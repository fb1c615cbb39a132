// ChatClient through the message lifecycle (edit, delete, reply, react) and
// the catch-up of changes after a reconnect, against FakeRoomServer: a
// scripted server whose changes the test makes exactly (pushed, or stored
// silently as if made while the client was away), for the client's own
// rules. tst_chat_client_lifecycle_e2e runs the same paths against the real
// server. The message model is watched by QAbstractItemModelTester.
#include "client_app_fixture.h"
#include "fake_room_server.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::test;
using client::ChatClient;
using client::MessageListModel;

class TestChatClientLifecycle : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }
    void init();
    void cleanup();
    void othersChangesArriveLive();
    void editMyLastMessageInPlace();
    void deleteAndReplyFollowTheServer();
    void reactionsToggleThroughTheServer();
    void reconnectCatchesUpOnChangesMissed();
    void actionRightsFollowRoleAndPolicy();

private:
    int rowOf(Id id) const { return m_client->conversation()->messages()->rowOfMessage(id); }
    QVariant at(Id id, int role) const
    {
        MessageListModel* model = m_client->conversation()->messages();
        return model->data(model->index(rowOf(id)), role);
    }

    std::unique_ptr<FakeRoomServer> m_server;
    std::unique_ptr<ChatClient> m_client;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    Id m_mine = 0;
    Id m_bobs = 0;
};

void TestChatClientLifecycle::init()
{
    m_server = std::make_unique<FakeRoomServer>();
    QVERIFY(m_server->listen());
    m_bobs = m_server->addMessage(FakeRoomServer::kBob, QStringLiteral("Lunch at noon?"));
    m_mine = m_server->addMessage(FakeRoomServer::kMei, QStringLiteral("Sure, see you thre"));
    m_client = ClientFixture::create(QStringLiteral("lifecycle"));
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_client->conversation()->messages(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(ClientFixture::signIn(*m_client, m_server->url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*m_client, FakeRoomServer::kRoomId));
    QCOMPARE(m_client->conversation()->messages()->rowCount(), 2);
}

void TestChatClientLifecycle::cleanup()
{
    m_tester.reset();
    m_client.reset();
    m_server.reset();
}

void TestChatClientLifecycle::othersChangesArriveLive()
{
    m_server->editAsBob(m_bobs, QStringLiteral("Lunch at one?"));
    QTRY_COMPARE(at(m_bobs, MessageListModel::ContentRole).toString(), QStringLiteral("Lunch at one?"));
    QVERIFY(at(m_bobs, MessageListModel::EditedRole).toBool());
    m_server->reactAsBob(m_mine, QString::fromUtf8("👍"), true);
    QTRY_COMPARE(at(m_mine, MessageListModel::ReactionsRole).toList().size(), 1);
    m_server->deleteAsBob(m_bobs);
    QTRY_VERIFY(at(m_bobs, MessageListModel::DeletedRole).toBool());
    QCOMPARE(at(m_bobs, MessageListModel::ContentRole).toString(), QString());
    QCOMPARE(m_client->conversation()->messages()->rowCount(), 2); // the placeholder stays
}

void TestChatClientLifecycle::editMyLastMessageInPlace()
{
    auto* composer = m_client->composer();
    QSignalSpy editing(composer, &client::ComposerController::editingChanged);
    const QVariantMap edit = composer->startEditLast();
    QCOMPARE(edit.value(QStringLiteral("content")).toString(), QStringLiteral("Sure, see you thre"));
    QCOMPARE(composer->editingId(), double(m_mine));
    composer->submit(QStringLiteral("Sure, see you there"), {});
    QCOMPARE(composer->editingId(), 0.0);
    QCOMPARE(editing.count(), 2);
    QTRY_COMPARE(at(m_mine, MessageListModel::ContentRole).toString(), QStringLiteral("Sure, see you there"));
    QVERIFY(at(m_mine, MessageListModel::EditedRole).toBool());
    QCOMPARE(m_server->message(m_mine)->content, QStringLiteral("Sure, see you there"));
    QCOMPARE(m_client->conversation()->messages()->rowCount(), 2); // edited in place, nothing sent

    // Bob's message is not mine to edit.
    QVERIFY(composer->startEdit(double(m_bobs)).isEmpty());
    QCOMPARE(composer->editingId(), 0.0);
}

void TestChatClientLifecycle::deleteAndReplyFollowTheServer()
{
    auto* composer = m_client->composer();
    composer->startReply(double(m_bobs));
    QCOMPARE(composer->replyToId(), double(m_bobs));
    QCOMPARE(composer->replyPreview().value(QStringLiteral("senderName")).toString(),
             QStringLiteral("Bob Wang"));
    composer->sendMessage(QStringLiteral("Noon works"), {});
    QCOMPARE(composer->replyToId(), 0.0); // one send answers it
    MessageListModel* model = m_client->conversation()->messages();
    QTRY_COMPARE(model->rowCount(), 3);
    QTRY_VERIFY(model->newestId() > m_mine);
    const Id reply = model->newestId();
    QCOMPARE(m_server->message(reply)->replyTo, std::optional<Id>(m_bobs));
    QTRY_COMPARE(
        at(reply, MessageListModel::ReplyPreviewRole).toMap().value(QStringLiteral("text")).toString(),
        QStringLiteral("Lunch at noon?"));

    m_server->deleteAsBob(m_bobs);
    QTRY_VERIFY(
        at(reply, MessageListModel::ReplyPreviewRole).toMap().value(QStringLiteral("deleted")).toBool());

    composer->deleteMessage(double(m_mine));
    QTRY_VERIFY(at(m_mine, MessageListModel::DeletedRole).toBool());
    QVERIFY(m_server->message(m_mine)->deleted);
    QCOMPARE(model->lastEditableId(), reply);
}

void TestChatClientLifecycle::reactionsToggleThroughTheServer()
{
    auto* composer = m_client->composer();
    const QString party = QString::fromUtf8("🎉");
    composer->toggleReaction(double(m_bobs), party);
    QTRY_COMPARE(at(m_bobs, MessageListModel::ReactionsRole).toList().size(), 1);
    QVariantMap chip = at(m_bobs, MessageListModel::ReactionsRole).toList().first().toMap();
    QVERIFY(chip.value(QStringLiteral("mine")).toBool());
    QCOMPARE(m_server->message(m_bobs)->reactions.first().userIds, QList<Id>{FakeRoomServer::kMei});

    m_server->reactAsBob(m_bobs, party, true);
    QTRY_COMPARE(at(m_bobs, MessageListModel::ReactionsRole)
                     .toList()
                     .first()
                     .toMap()
                     .value(QStringLiteral("count"))
                     .toInt(),
                 2);
    composer->toggleReaction(double(m_bobs), party); // mine is on: off
    QTRY_COMPARE(at(m_bobs, MessageListModel::ReactionsRole)
                     .toList()
                     .first()
                     .toMap()
                     .value(QStringLiteral("count"))
                     .toInt(),
                 1);
    chip = at(m_bobs, MessageListModel::ReactionsRole).toList().first().toMap();
    QVERIFY(!chip.value(QStringLiteral("mine")).toBool());
    QCOMPARE(chip.value(QStringLiteral("names")).toString(), QStringLiteral("Bob Wang"));
}

void TestChatClientLifecycle::reconnectCatchesUpOnChangesMissed()
{
    // While mei is away: an edit, a reaction, a deletion, and a new message.
    QSignalSpy state(m_client->account(), &client::AccountController::connectionStateChanged);
    m_server->peer().dropConnection();
    QTRY_VERIFY(m_client->account()->connectionState() != client::Session::State::Online);
    m_server->editAsBob(m_bobs, QStringLiteral("Lunch at half past twelve?"), true);
    m_server->reactAsBob(m_mine, QString::fromUtf8("👀"), true, true);
    const Id later = m_server->addMessage(FakeRoomServer::kBob, QStringLiteral("Are you coming?"));
    m_server->reactAsBob(later, QString::fromUtf8("❓"), true, true);

    QTRY_COMPARE_WITH_TIMEOUT(m_client->account()->connectionState(), client::Session::State::Online, 10000);
    QTRY_COMPARE(at(m_bobs, MessageListModel::ContentRole).toString(),
                 QStringLiteral("Lunch at half past twelve?"));
    QTRY_COMPARE(at(m_mine, MessageListModel::ReactionsRole).toList().size(), 1);
    QTRY_COMPARE(m_client->conversation()->messages()->rowCount(), 3);
    QTRY_COMPARE(at(later, MessageListModel::ReactionsRole).toList().size(), 1);
    QVERIFY(m_server->requestTypes().contains(QStringLiteral("fetch_changes")));
    QCOMPARE(m_client->conversation()->messages()->maxRevision(), m_server->messages().constLast().revision);
}

// What the hover bar and the menu offer: Edit for my messages within the
// server's edit window, Delete for mine within its delete window and for
// anyone's when I own or administer the group (contract: "Groups").
void TestChatClientLifecycle::actionRightsFollowRoleAndPolicy()
{
    auto* composer = m_client->composer();
    const auto rights = [composer](Id id) {
        const QVariantMap r = composer->actionRights(double(id));
        return QPair<bool, bool>(r.value(QStringLiteral("edit")).toBool(),
                                 r.value(QStringLiteral("delete")).toBool());
    };
    using Rights = QPair<bool, bool>;
    // The owner by ownerId (a server without roles).
    QCOMPARE(rights(m_mine), Rights(true, true));
    QCOMPARE(rights(m_bobs), Rights(false, true));

    // A plain member, on a server with 60 s windows, after a reconnect.
    ServerPolicy policy;
    policy.editWindowS = 60;
    policy.deleteWindowS = 120;
    m_server->peer().setServerPolicy(policy);
    m_server->setMeiRole(MemberRole::Member, FakeRoomServer::kBob);
    m_server->peer().dropConnection();
    QTRY_COMPARE(m_client->session()->policy().editWindowS, qint64(60));
    QTRY_COMPARE(rights(m_bobs), Rights(false, false));
    QCOMPARE(rights(m_mine), Rights(true, true));

    // Past the edit window; then past the delete window too. The model's copy
    // is what the client knows, so the message ages there.
    const Id older = m_server->addMessage(FakeRoomServer::kMei, QStringLiteral("older"));
    m_server->age(older, 90 * 1000);
    const Id oldest = m_server->addMessage(FakeRoomServer::kMei, QStringLiteral("oldest"));
    m_server->age(oldest, 300 * 1000);
    m_server->setMeiRole(MemberRole::Admin, FakeRoomServer::kBob);
    m_server->peer().dropConnection();
    QTRY_VERIFY(rowOf(oldest) >= 0 && rowOf(older) >= 0);
    QTRY_COMPARE(rights(m_bobs), Rights(false, true)); // an admin deletes anyone's
    QCOMPARE(rights(older), Rights(false, true));
    QCOMPARE(rights(oldest), Rights(false, true));

    m_server->setMeiRole(MemberRole::Member, FakeRoomServer::kBob);
    m_server->peer().dropConnection();
    QTRY_COMPARE(rights(m_bobs), Rights(false, false));
    QCOMPARE(rights(older), Rights(false, true));
    QCOMPARE(rights(oldest), Rights(false, false));
}

QTEST_MAIN(TestChatClientLifecycle)

#include "tst_chat_client_lifecycle.moc"
