// The message lifecycle against a real server (contract, second part:
// "Message changes and catch-up"): edits, deletes, reactions, replies with
// their preview, revisions and fetch_changes, with every refusal; on SQLite
// and PostgreSQL.
#include "lifecycle_helpers.h"

#include <QSqlQuery>
#include <QTest>
#include <QThread>

using namespace confab::test;

namespace {

struct Room3 {
    std::unique_ptr<TestClient> alice, alice2, bob, carol; // carol is not a member
    qint64 room = 0;
};

bool setUp(TestServer& server, Room3& r)
{
    if (!server.start())
        return false;
    r.alice = server.user(QStringLiteral("alice"));
    r.bob = server.user(QStringLiteral("bob"));
    r.carol = server.user(QStringLiteral("carol"));
    if (!r.alice || !r.bob || !r.carol)
        return false;
    r.alice2 = server.secondConnection(*r.alice);
    r.room = createGroup(*r.alice, QStringLiteral("team"), {r.bob->userId});
    return r.alice2 && r.room;
}

void clearAll(Room3& r)
{
    for (auto* c : {r.alice.get(), r.alice2.get(), r.bob.get(), r.carol.get()})
        c->clearInbox();
}

// One value of what the server stored, read straight from its database.
QVariant stored(const TestServer& server, const QString& statement)
{
    QVariant value;
    {
        QSqlDatabase db = openTestDatabase(server.databaseUrl(), QStringLiteral("inspect"));
        QSqlQuery q(db);
        if (q.exec(statement) && q.next())
            value = q.value(0);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("inspect"));
    return value;
}

} // namespace

class TestServerLifecycle : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void editReachesEveryConnectionAndFollowsSearch();
    void editMentionsAreReverified();
    void editRefusals();
    void deleteLeavesAPlaceholderAndErasesContent();
    void deleteRules();
    void reactionsToggleAndAreBounded();
    void replyCarriesAPreview();
    void fetchChangesCatchesUp();
    void changesAreRateLimited();
};

void TestServerLifecycle::editReachesEveryConnectionAndFollowsSearch()
{
    TestServer server;
    Room3 r;
    QVERIFY(setUp(server, r));
    const qint64 id = sendMessage(*r.alice, r.room, QStringLiteral("meeting at 3 in 会议室甲"), QStringLiteral("t1"));
    QVERIFY(id);
    const QJsonObject sent = inHistory(*r.bob, r.room, id);
    const qint64 before = revisionOf(sent);
    QVERIFY(before > 0);
    QCOMPARE(sent.value(QLatin1String("reactions")).toArray(), QJsonArray());
    QCOMPARE(sent.value(QLatin1String("kind")).toString(), QStringLiteral("text"));
    QVERIFY(sent.value(QLatin1String("replyPreview")).isNull());
    clearAll(r);

    const QJsonObject ok = editMessage(*r.alice, id, QStringLiteral("meeting at 4 in 会议室乙"));
    QCOMPARE(typeOf(ok), QStringLiteral("ok"));
    for (auto* c : {r.alice.get(), r.alice2.get(), r.bob.get()}) {
        const QJsonObject m = messageIn(c->waitFor(QStringLiteral("message_updated"), 5000, updatedIs(id)));
        QCOMPARE(m.value(QLatin1String("content")).toString(), QStringLiteral("meeting at 4 in 会议室乙"));
        QVERIFY(m.value(QLatin1String("editedAt")).toDouble() >= sent.value(QLatin1String("createdAt")).toDouble());
        QVERIFY(revisionOf(m) > before);
        QCOMPARE(m.value(QLatin1String("deleted")).toBool(), false);
        QCOMPARE(idOf(m.value(QLatin1String("senderId"))), r.alice->userId);
        QVERIFY(c->staysQuiet(QStringLiteral("message_updated"), 200)); // exactly once
    }
    QVERIFY(r.carol->staysQuiet(QStringLiteral("message_updated")));
    QCOMPARE(inHistory(*r.bob, r.room, id).value(QLatin1String("content")).toString(),
             QStringLiteral("meeting at 4 in 会议室乙"));
    // Search finds the new text, not the old (both the trigram and the short path).
    QCOMPARE(searchIds(*r.bob, QStringLiteral("at 4")), QList<qint64>{id});
    QCOMPARE(searchIds(*r.bob, QStringLiteral("at 3")), QList<qint64>{});
    QCOMPARE(searchIds(*r.bob, QStringLiteral("乙")), QList<qint64>{id});
    QCOMPARE(searchIds(*r.bob, QStringLiteral("甲")), QList<qint64>{});
}

void TestServerLifecycle::editMentionsAreReverified()
{
    TestServer server;
    Room3 r;
    QVERIFY(setUp(server, r));
    auto dave = server.user(QStringLiteral("dave"));
    QVERIFY(dave);
    const qint64 room = createGroup(*r.alice, QStringLiteral("four"), {r.bob->userId, dave->userId});
    QVERIFY(room);
    const QString first = QStringLiteral("ping @bob");
    const qint64 id = sendMessage(*r.alice, room, first, QStringLiteral("m1"), {span(first, QStringLiteral("bob"), r.bob->userId)});
    QVERIFY(id);
    QVERIFY(!r.bob->waitFor(QStringLiteral("mention")).isEmpty());
    QCOMPARE(payloadOf(r.bob->request(QStringLiteral("list_mentions"))).value(QLatin1String("items")).toArray().size(), 1);
    r.bob->clearInbox();
    dave->clearInbox();
    r.carol->clearInbox();

    // Now dave, not bob; carol (not a member) is dropped, like in a send.
    const QString second = QStringLiteral("ping @dave and @carol");
    QCOMPARE(typeOf(editMessage(*r.alice, id, second,
                                {span(second, QStringLiteral("dave"), dave->userId),
                                 span(second, QStringLiteral("carol"), r.carol->userId)})),
             QStringLiteral("ok"));
    const QJsonObject mention = dave->waitFor(QStringLiteral("mention"));
    QCOMPARE(payloadOf(mention).value(QLatin1String("content")).toString(), second);
    QCOMPARE(idIn(payloadOf(mention), "messageId"), id);
    const QJsonObject updated = messageIn(r.bob->waitFor(QStringLiteral("message_updated")));
    QCOMPARE(updated.value(QLatin1String("mentions")).toArray(),
             QJsonArray{span(second, QStringLiteral("dave"), dave->userId)});
    QVERIFY(r.bob->staysQuiet(QStringLiteral("mention")));
    QVERIFY(r.carol->staysQuiet(QStringLiteral("mention")));
    // Bob's mention is gone from the list and the count; dave's is there.
    QCOMPARE(payloadOf(r.bob->request(QStringLiteral("list_mentions"))).value(QLatin1String("items")).toArray().size(), 0);
    QCOMPARE(payloadOf(dave->request(QStringLiteral("list_mentions"))).value(QLatin1String("items")).toArray().size(), 1);
    for (const QJsonValue& v : payloadOf(r.bob->request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray()) {
        if (idOf(v.toObject().value(QLatin1String("id"))) == room)
            QCOMPARE(v.toObject().value(QLatin1String("mentionCount")).toInt(), 0);
    }
    // Editing again with dave still mentioned tells him nothing new.
    dave->clearInbox();
    QCOMPARE(typeOf(editMessage(*r.alice, id, second, {span(second, QStringLiteral("dave"), dave->userId)})),
             QStringLiteral("ok"));
    QVERIFY(!dave->waitFor(QStringLiteral("message_updated")).isEmpty());
    QVERIFY(dave->staysQuiet(QStringLiteral("mention")));
}

void TestServerLifecycle::editRefusals()
{
    confab::server::ServerConfig config = TestServer::defaultConfig();
    config.editWindowS = 1;
    TestServer server(config);
    Room3 r;
    QVERIFY(setUp(server, r));
    const qint64 id = sendMessage(*r.alice, r.room, QStringLiteral("mine"), QStringLiteral("a"));
    QVERIFY(id);
    // Another member's message.
    const QJsonObject notSender = editMessage(*r.bob, id, QStringLiteral("hijack"));
    QCOMPARE(errorCodeOf(notSender), QStringLiteral("forbidden"));
    // An outsider: the same answer as a message that does not exist.
    const QJsonObject outsider = editMessage(*r.carol, id, QStringLiteral("x"));
    QCOMPARE(errorCodeOf(outsider), QStringLiteral("not_found"));
    QCOMPARE(payloadOf(outsider), payloadOf(editMessage(*r.carol, 987654321, QStringLiteral("x"))));
    QCOMPARE(payloadOf(outsider), payloadOf(editMessage(*r.alice, 987654321, QStringLiteral("x"))));
    // Content rules are send_message's.
    QCOMPARE(errorCodeOf(editMessage(*r.alice, id, QStringLiteral("  "))), QStringLiteral("bad_request"));
    QCOMPARE(errorCodeOf(editMessage(*r.alice, id, QString(server.config.contentMaxLength + 1, QLatin1Char('x')))),
             QStringLiteral("too_large"));
    QCOMPARE(errorCodeOf(r.alice->request(QStringLiteral("edit_message"), {{QStringLiteral("messageId"), true}})),
             QStringLiteral("bad_request"));
    // Nothing of that reached anyone.
    QVERIFY(r.bob->staysQuiet(QStringLiteral("message_updated")));
    // A deleted message.
    const qint64 gone = sendMessage(*r.alice, r.room, QStringLiteral("oops"), QStringLiteral("b"));
    QCOMPARE(typeOf(deleteMessage(*r.alice, gone)), QStringLiteral("ok"));
    QCOMPARE(errorCodeOf(editMessage(*r.alice, gone, QStringLiteral("back"))), QStringLiteral("forbidden"));
    // Past the window (1 s here).
    QTest::qWait(1200);
    const QJsonObject late = editMessage(*r.alice, id, QStringLiteral("too late"));
    QCOMPARE(errorCodeOf(late), QStringLiteral("forbidden"));
    QCOMPARE(payloadOf(late).value(QLatin1String("message")).toString(), QStringLiteral("the edit window has passed"));
    QCOMPARE(inHistory(*r.alice, r.room, id).value(QLatin1String("content")).toString(), QStringLiteral("mine"));
}

void TestServerLifecycle::deleteLeavesAPlaceholderAndErasesContent()
{
    TestServer server;
    Room3 r;
    QVERIFY(setUp(server, r));
    const QString text = QStringLiteral("secret plan 机密 @bob");
    const qint64 id = sendMessage(*r.alice, r.room, text, QStringLiteral("s"), {span(text, QStringLiteral("bob"), r.bob->userId)});
    QVERIFY(id);
    QCOMPARE(typeOf(react(*r.bob, id, QStringLiteral("👍"))), QStringLiteral("ok"));
    QCOMPARE(searchIds(*r.bob, QStringLiteral("secret")), QList<qint64>{id});
    clearAll(r);

    QCOMPARE(typeOf(deleteMessage(*r.alice, id)), QStringLiteral("ok"));
    for (auto* c : {r.alice.get(), r.alice2.get(), r.bob.get()}) {
        const QJsonObject m = messageIn(c->waitFor(QStringLiteral("message_updated"), 5000, updatedIs(id)));
        QCOMPARE(m.value(QLatin1String("deleted")).toBool(), true);
        QCOMPARE(m.value(QLatin1String("content")).toString(), QString());
        QCOMPARE(m.value(QLatin1String("mentions")).toArray(), QJsonArray());
        QCOMPARE(m.value(QLatin1String("reactions")).toArray(), QJsonArray());
        QCOMPARE(idOf(m.value(QLatin1String("senderId"))), r.alice->userId);
    }
    QVERIFY(r.carol->staysQuiet(QStringLiteral("message_updated")));
    // History keeps the placeholder; search, mentions and counts forget it.
    const QJsonObject placeholder = inHistory(*r.bob, r.room, id);
    QCOMPARE(placeholder.value(QLatin1String("deleted")).toBool(), true);
    QVERIFY(placeholder.value(QLatin1String("createdAt")).toDouble() > 0);
    QCOMPARE(searchIds(*r.bob, QStringLiteral("secret")), QList<qint64>{});
    QCOMPARE(searchIds(*r.bob, QStringLiteral("机")), QList<qint64>{});
    QCOMPARE(payloadOf(r.bob->request(QStringLiteral("list_mentions"))).value(QLatin1String("items")).toArray().size(), 0);
    for (const QJsonValue& v : payloadOf(r.bob->request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray()) {
        if (idOf(v.toObject().value(QLatin1String("id"))) == r.room) {
            QCOMPARE(v.toObject().value(QLatin1String("unreadCount")).toInt(), 0);
            QCOMPARE(v.toObject().value(QLatin1String("mentionCount")).toInt(), 0);
        }
    }
    // The old content is gone from the database, not only hidden.
    const QString key = QString::number(id);
    QCOMPARE(stored(server, QStringLiteral("SELECT content FROM messages WHERE id = ") + key).toString(), QString());
    QCOMPARE(stored(server, QStringLiteral("SELECT COUNT(*) FROM mentions WHERE message_id = ") + key).toInt(), 0);
    QCOMPARE(stored(server, QStringLiteral("SELECT COUNT(*) FROM reactions WHERE message_id = ") + key).toInt(), 0);
    QCOMPARE(stored(server, TestServer::usesPostgres()
                                ? QStringLiteral("SELECT COUNT(*) FROM message_search WHERE body LIKE '%secret%'")
                                : QStringLiteral("SELECT COUNT(*) FROM message_search WHERE body LIKE '%secret%'"))
                 .toInt(),
             0);
    // Deleting again is done already: ok, and nobody hears of it.
    clearAll(r);
    QCOMPARE(typeOf(deleteMessage(*r.alice, id)), QStringLiteral("ok"));
    QVERIFY(r.bob->staysQuiet(QStringLiteral("message_updated")));
}

void TestServerLifecycle::deleteRules()
{
    confab::server::ServerConfig config = TestServer::defaultConfig();
    config.deleteWindowS = 0; // senders may not delete; the owner always may
    TestServer server(config);
    Room3 r;
    QVERIFY(setUp(server, r));
    const qint64 bobs = sendMessage(*r.bob, r.room, QStringLiteral("bob's"), QStringLiteral("b1"));
    QTest::qWait(5);
    const QJsonObject own = deleteMessage(*r.bob, bobs);
    QCOMPARE(errorCodeOf(own), QStringLiteral("forbidden"));
    QCOMPARE(payloadOf(own).value(QLatin1String("message")).toString(), QStringLiteral("the delete window has passed"));
    // The room's owner deletes anyone's message at any time.
    QCOMPARE(typeOf(deleteMessage(*r.alice, bobs)), QStringLiteral("ok"));
    QCOMPARE(messageIn(r.bob->waitFor(QStringLiteral("message_updated"))).value(QLatin1String("deleted")).toBool(), true);
    // A member who is neither sender nor owner nor admin may not.
    const qint64 alices = sendMessage(*r.alice, r.room, QStringLiteral("alice's"), QStringLiteral("a1"));
    QCOMPARE(errorCodeOf(deleteMessage(*r.bob, alices)), QStringLiteral("forbidden"));
    // An admin may, at any time (contract: "a room owner/admin").
    const qint64 again = sendMessage(*r.alice, r.room, QStringLiteral("alice's too"), QStringLiteral("a2"));
    QCOMPARE(typeOf(r.alice->request(QStringLiteral("set_role"),
                                     {{QStringLiteral("roomId"), double(r.room)},
                                      {QStringLiteral("userId"), double(r.bob->userId)},
                                      {QStringLiteral("role"), QStringLiteral("admin")}})),
             QStringLiteral("ok"));
    QTest::qWait(5);
    QCOMPARE(typeOf(deleteMessage(*r.bob, again)), QStringLiteral("ok"));
    // An outsider gets what a missing message gets.
    const QJsonObject outsider = deleteMessage(*r.carol, alices);
    QCOMPARE(errorCodeOf(outsider), QStringLiteral("not_found"));
    QCOMPARE(payloadOf(outsider), payloadOf(deleteMessage(*r.carol, 987654321)));
    // In a DM nobody is owner: the sender's window rules alone.
    const qint64 dm = openDm(*r.alice, r.bob->userId);
    const qint64 inDm = sendMessage(*r.bob, dm, QStringLiteral("dm"), QStringLiteral("d1"));
    QCOMPARE(errorCodeOf(deleteMessage(*r.alice, inDm)), QStringLiteral("forbidden"));
    // A member who left is an outsider now.
    QCOMPARE(typeOf(r.bob->request(QStringLiteral("leave_room"), {{QStringLiteral("roomId"), double(r.room)}})),
             QStringLiteral("ok"));
    QCOMPARE(payloadOf(deleteMessage(*r.bob, alices)), payloadOf(outsider));
}

void TestServerLifecycle::reactionsToggleAndAreBounded()
{
    TestServer server;
    Room3 r;
    QVERIFY(setUp(server, r));
    const qint64 id = sendMessage(*r.alice, r.room, QStringLiteral("lunch?"), QStringLiteral("l"));
    clearAll(r);
    QCOMPARE(typeOf(react(*r.bob, id, QStringLiteral("👍"))), QStringLiteral("ok"));
    qint64 last = 0;
    for (auto* c : {r.alice.get(), r.alice2.get(), r.bob.get()}) {
        const QJsonObject e = payloadOf(c->waitFor(QStringLiteral("reaction")));
        QCOMPARE(idIn(e, "roomId"), r.room);
        QCOMPARE(idIn(e, "messageId"), id);
        QCOMPARE(e.value(QLatin1String("emoji")).toString(), QStringLiteral("👍"));
        QCOMPARE(idIn(e, "userId"), r.bob->userId);
        QCOMPARE(e.value(QLatin1String("on")).toBool(), true);
        last = qint64(e.value(QLatin1String("revision")).toDouble());
    }
    QVERIFY(r.carol->staysQuiet(QStringLiteral("reaction")));
    // On again: nothing changes, nothing is sent.
    QCOMPARE(typeOf(react(*r.bob, id, QStringLiteral("👍"))), QStringLiteral("ok"));
    QVERIFY(r.alice->staysQuiet(QStringLiteral("reaction")));
    QCOMPARE(typeOf(react(*r.alice, id, QStringLiteral("🎉"))), QStringLiteral("ok"));
    QCOMPARE(typeOf(react(*r.alice, id, QStringLiteral("👍"))), QStringLiteral("ok"));
    // In order of first use; each emoji's users in order of reacting.
    QJsonObject m = inHistory(*r.bob, r.room, id);
    QCOMPARE(m.value(QLatin1String("reactions")).toArray(),
             (QJsonArray{QJsonObject{{QStringLiteral("emoji"), QStringLiteral("👍")},
                                     {QStringLiteral("userIds"), QJsonArray{double(r.bob->userId), double(r.alice->userId)}}},
                         QJsonObject{{QStringLiteral("emoji"), QStringLiteral("🎉")},
                                     {QStringLiteral("userIds"), QJsonArray{double(r.alice->userId)}}}}));
    QVERIFY(revisionOf(m) > last);
    // Off, and off again.
    r.bob->clearInbox();
    QCOMPARE(typeOf(react(*r.bob, id, QStringLiteral("👍"), false)), QStringLiteral("ok"));
    QCOMPARE(payloadOf(r.bob->waitFor(QStringLiteral("reaction"))).value(QLatin1String("on")).toBool(), false);
    QCOMPARE(typeOf(react(*r.bob, id, QStringLiteral("👍"), false)), QStringLiteral("ok"));
    QVERIFY(r.bob->staysQuiet(QStringLiteral("reaction")));
    // At most 20 distinct emoji; a 21st is too_large, an existing one still joins.
    for (int i = 0; i < 18; ++i)
        QCOMPARE(typeOf(react(*r.bob, id, QStringLiteral("e%1").arg(i))), QStringLiteral("ok"));
    const QJsonObject full = react(*r.bob, id, QStringLiteral("🚀"));
    QCOMPARE(errorCodeOf(full), QStringLiteral("too_large"));
    QCOMPARE(typeOf(react(*r.bob, id, QStringLiteral("🎉"))), QStringLiteral("ok"));
    QCOMPARE(inHistory(*r.bob, r.room, id).value(QLatin1String("reactions")).toArray().size(), 20);
    // Bad emoji, outsiders, deleted messages.
    QCOMPARE(errorCodeOf(react(*r.bob, id, QStringLiteral("a b"))), QStringLiteral("bad_request"));
    const QJsonObject outsider = react(*r.carol, id, QStringLiteral("👍"));
    QCOMPARE(errorCodeOf(outsider), QStringLiteral("not_found"));
    QCOMPARE(payloadOf(outsider), payloadOf(react(*r.carol, 987654321, QStringLiteral("👍"))));
    QCOMPARE(typeOf(deleteMessage(*r.alice, id)), QStringLiteral("ok"));
    QCOMPARE(errorCodeOf(react(*r.bob, id, QStringLiteral("👍"))), QStringLiteral("forbidden"));
}

void TestServerLifecycle::replyCarriesAPreview()
{
    TestServer server;
    Room3 r;
    QVERIFY(setUp(server, r));
    const QString longText = QString(150, QChar(0x4E2D)) + QStringLiteral("😀") + QString(100, QLatin1Char('x'));
    const qint64 original = sendMessage(*r.alice, r.room, longText, QStringLiteral("o"));
    QVERIFY(original);
    r.bob->clearInbox();
    const QJsonObject ack = r.bob->request(QStringLiteral("send_message"),
                                           {{QStringLiteral("roomId"), double(r.room)},
                                            {QStringLiteral("content"), QStringLiteral("agreed")},
                                            {QStringLiteral("tempId"), QStringLiteral("r1")},
                                            {QStringLiteral("replyTo"), double(original)}});
    QCOMPARE(typeOf(ack), QStringLiteral("message_ack"));
    const qint64 reply = idIn(payloadOf(ack), "messageId");
    const QJsonObject live = messageIn(r.alice->waitFor(QStringLiteral("message"), 5000, messageIs(reply)));
    const QJsonObject preview = live.value(QLatin1String("replyPreview")).toObject();
    QCOMPARE(idIn(preview, "id"), original);
    QCOMPARE(idIn(preview, "senderId"), r.alice->userId);
    QCOMPARE(preview.value(QLatin1String("content")).toString(), longText.left(150) + QStringLiteral("😀") + QString(48, QLatin1Char('x')));
    QCOMPARE(preview.value(QLatin1String("deleted")).toBool(), false);
    QCOMPARE(inHistory(*r.bob, r.room, reply).value(QLatin1String("replyPreview")).toObject(), preview);
    // A message of another room, or one the sender cannot see: not_found.
    const qint64 elsewhere = createGroup(*r.carol, QStringLiteral("carol's"), {});
    const qint64 hidden = sendMessage(*r.carol, elsewhere, QStringLiteral("hidden"), QStringLiteral("h"));
    const QJsonObject refused = r.bob->request(QStringLiteral("send_message"),
                                               {{QStringLiteral("roomId"), double(r.room)},
                                                {QStringLiteral("content"), QStringLiteral("?")},
                                                {QStringLiteral("tempId"), QStringLiteral("r2")},
                                                {QStringLiteral("replyTo"), double(hidden)}});
    QCOMPARE(errorCodeOf(refused), QStringLiteral("not_found"));
    // When the original is deleted, the reply's preview says so.
    QCOMPARE(typeOf(deleteMessage(*r.alice, original)), QStringLiteral("ok"));
    const QJsonObject after = inHistory(*r.bob, r.room, reply).value(QLatin1String("replyPreview")).toObject();
    QCOMPARE(after.value(QLatin1String("deleted")).toBool(), true);
    QCOMPARE(after.value(QLatin1String("content")).toString(), QString());
}

void TestServerLifecycle::fetchChangesCatchesUp()
{
    TestServer server;
    Room3 r;
    QVERIFY(setUp(server, r));
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids.append(sendMessage(*r.alice, r.room, QStringLiteral("m%1").arg(i), QStringLiteral("f%1").arg(i)));
    // Bob saw everything up to here.
    const QJsonArray all = messagesIn(fetchChanges(*r.bob, r.room, 0));
    QCOMPARE(idsOfMessages(all), ids);
    const qint64 seen = revisionOf(all.last().toObject());
    // Then, while he was away: an edit, a reaction, a delete, a new message.
    QCOMPARE(typeOf(editMessage(*r.alice, ids.at(1), QStringLiteral("m1 edited"))), QStringLiteral("ok"));
    QCOMPARE(typeOf(react(*r.alice, ids.at(3), QStringLiteral("✅"))), QStringLiteral("ok"));
    QCOMPARE(typeOf(deleteMessage(*r.alice, ids.at(0))), QStringLiteral("ok"));
    const qint64 fresh = sendMessage(*r.alice, r.room, QStringLiteral("new"), QStringLiteral("f9"));
    const QJsonObject changes = fetchChanges(*r.bob, r.room, seen);
    QCOMPARE(typeOf(changes), QStringLiteral("changes"));
    QCOMPARE(idIn(payloadOf(changes), "roomId"), r.room);
    QCOMPARE(payloadOf(changes).value(QLatin1String("hasMore")).toBool(), false);
    const QJsonArray changed = messagesIn(changes);
    QCOMPARE(idsOfMessages(changed), (QList<qint64>{ids.at(1), ids.at(3), ids.at(0), fresh}));
    qint64 previous = seen;
    for (const QJsonValue& v : changed) { // ascending by revision, all above `seen`
        QVERIFY(revisionOf(v.toObject()) > previous);
        previous = revisionOf(v.toObject());
    }
    QCOMPARE(changed.at(0).toObject().value(QLatin1String("content")).toString(), QStringLiteral("m1 edited"));
    QCOMPARE(changed.at(1).toObject().value(QLatin1String("reactions")).toArray().size(), 1);
    QCOMPARE(changed.at(2).toObject().value(QLatin1String("deleted")).toBool(), true);
    // Paged: two at a time, no gap, no repeat.
    const QJsonObject page = fetchChanges(*r.bob, r.room, seen, 2);
    QCOMPARE(idsOfMessages(messagesIn(page)), (QList<qint64>{ids.at(1), ids.at(3)}));
    QCOMPARE(payloadOf(page).value(QLatin1String("hasMore")).toBool(), true);
    const QJsonObject rest = fetchChanges(*r.bob, r.room, revisionOf(messagesIn(page).last().toObject()), 2);
    QCOMPARE(idsOfMessages(messagesIn(rest)), (QList<qint64>{ids.at(0), fresh}));
    QCOMPARE(messagesIn(fetchChanges(*r.bob, r.room, previous)).size(), 0);
    // An outsider, a missing room: the same forbidden as every room request.
    const QJsonObject outsider = fetchChanges(*r.carol, r.room, 0);
    QCOMPARE(errorCodeOf(outsider), QStringLiteral("forbidden"));
    QCOMPARE(payloadOf(outsider), payloadOf(fetchChanges(*r.carol, 987654321, 0)));
    QCOMPARE(errorCodeOf(r.bob->request(QStringLiteral("fetch_changes"),
                                        {{QStringLiteral("roomId"), double(r.room)}, {QStringLiteral("afterRevision"), -1}})),
             QStringLiteral("bad_request"));
}

void TestServerLifecycle::changesAreRateLimited()
{
    confab::server::ServerConfig config = TestServer::defaultConfig();
    config.changeRatePerSecond = 0.01;
    config.changeBurst = 3;
    TestServer server(config);
    Room3 r;
    QVERIFY(setUp(server, r));
    const qint64 id = sendMessage(*r.alice, r.room, QStringLiteral("x"), QStringLiteral("x"));
    QCOMPARE(typeOf(react(*r.bob, id, QStringLiteral("1"))), QStringLiteral("ok"));
    QCOMPARE(typeOf(react(*r.bob, id, QStringLiteral("2"))), QStringLiteral("ok"));
    QCOMPARE(typeOf(editMessage(*r.bob, id, QStringLiteral("no"))), QStringLiteral("error")); // forbidden, but counted
    const QJsonObject limited = react(*r.bob, id, QStringLiteral("3"));
    QCOMPARE(errorCodeOf(limited), QStringLiteral("rate_limited"));
    QVERIFY(payloadOf(limited).value(QLatin1String("retryAfterMs")).toDouble() > 0);
    // Per user: alice is not held back by bob.
    QCOMPARE(typeOf(react(*r.alice, id, QStringLiteral("1"))), QStringLiteral("ok"));
}

CONFAB_TEST_GUILESS_MAIN(TestServerLifecycle)
#include "tst_server_lifecycle.moc"
