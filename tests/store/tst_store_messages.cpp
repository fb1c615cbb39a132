// The storage layer against a real database, on every backend (store_fixture.h). Messages: storing with
// tempId deduplication and replies, mention verification, paging, unread counts and read markers, the
// mentions inbox.

#include "store_fixture.h"

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

class TestStoreMessages : public StoreFixture {
    Q_OBJECT

private slots:
    void insertMessageAndDedupe()
    {
        TAKE(const Room general, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
        TAKE(const Room random, m_store->createGroup(u"Random"_s, m_alice.id, {m_bob.id}, tick()));
        const qint64 sentAt = m_clock + 1000;
        TAKE(const InsertedMessage first, send(general.id, m_alice.id, u"Hello, team 👋"_s, u"c-8f2d1"_s));
        QVERIFY(!first.duplicate);
        QVERIFY(first.mentionedUserIds.isEmpty());
        QVERIFY(first.message.id > 0);
        QCOMPARE(first.message.roomId, general.id);
        QCOMPARE(first.message.senderId, m_alice.id);
        QCOMPARE(first.message.content, u"Hello, team 👋"_s);
        QCOMPARE(first.message.tempId, u"c-8f2d1"_s);
        QCOMPARE(first.message.createdAt, sentAt);
        QCOMPARE(first.message.replyTo, std::optional<Id>());
        QCOMPARE(first.message.editedAt, std::optional<qint64>());
        QCOMPARE(first.message.deleted, false);
        TAKE(const MessagePage stored, m_store->fetchMessages(general.id, {}, {}, 10));
        QCOMPARE(stored.messages, QList<Message>({first.message}));

        // The same (sender, tempId) again, in the same room or another: the first message, nothing stored.
        TAKE(const InsertedMessage repeat, send(general.id, m_alice.id, u"Hello, team 👋"_s, u"c-8f2d1"_s));
        QVERIFY(repeat.duplicate);
        QCOMPARE(repeat.message, first.message);
        TAKE(const InsertedMessage elsewhere, send(random.id, m_alice.id, u"different text"_s, u"c-8f2d1"_s,
                                                   {spanOf(u"@bob"_s, u"bob"_s, m_bob.id)}));
        QVERIFY(elsewhere.duplicate);
        QCOMPARE(elsewhere.message, first.message);
        QVERIFY(elsewhere.mentionedUserIds.isEmpty());
        TAKE(const MessagePage randomPage, m_store->fetchMessages(random.id, {}, {}, 10));
        QVERIFY(randomPage.messages.isEmpty());
        TAKE(const MessagePage mentions, m_store->listMentions(m_bob.id, {}, 10));
        QVERIFY(mentions.messages.isEmpty());
        // But a repeat naming a room she is not in (or none at all) is refused
        // like any send, not answered with her message.
        TAKE(const Room bobsOwn, m_store->createGroup(u"Bob's own"_s, m_bob.id, {}, tick()));
        EXPECT_ERROR(send(bobsOwn.id, m_alice.id, u"Hello, team 👋"_s, u"c-8f2d1"_s), "forbidden",
                     "no such room or not a member");
        EXPECT_ERROR(send(987654321, m_alice.id, u"Hello, team 👋"_s, u"c-8f2d1"_s), "forbidden",
                     "no such room or not a member");

        // Another sender may use the same tempId.
        TAKE(const InsertedMessage bobs, send(general.id, m_bob.id, u"Hi!"_s, u"c-8f2d1"_s));
        QVERIFY(!bobs.duplicate);
        QVERIFY(bobs.message.id > first.message.id);

        // Replies: only to a message of the same room; nothing stored otherwise.
        TAKE(const InsertedMessage reply,
             send(general.id, m_bob.id, u"re"_s, u"b-2"_s, {}, first.message.id));
        QCOMPARE(reply.message.replyTo, std::optional<Id>(first.message.id));
        TAKE(const InsertedMessage inRandom, send(random.id, m_bob.id, u"elsewhere"_s, u"b-3"_s));
        EXPECT_ERROR(send(general.id, m_bob.id, u"re"_s, u"b-4"_s, {}, inRandom.message.id), "not_found",
                     "replyTo is not a message of this room");
        EXPECT_ERROR(send(general.id, m_bob.id, u"re"_s, u"b-5"_s, {}, 99999), "not_found",
                     "replyTo is not a message of this room");
        EXPECT_ERROR(send(general.id, m_carol.id, u"let me in"_s, u"c-1"_s), "forbidden",
                     "no such room or not a member");
        TAKE(const MessagePage all, m_store->fetchMessages(general.id, {}, {}, 10));
        QCOMPARE(idsOf(all.messages), QList<Id>({first.message.id, bobs.message.id, reply.message.id}));
        QCOMPARE(all.messages.at(2), reply.message);
        // A tempId whose send failed is still free.
        TAKE(const InsertedMessage retried,
             send(general.id, m_bob.id, u"re"_s, u"b-4"_s, {}, bobs.message.id));
        QVERIFY(!retried.duplicate);
    }

    void mentionVerification()
    {
        TAKE(const Room room, m_store->createGroup(u"Planning"_s, m_alice.id, {m_bob.id, m_ming.id}, tick()));
        // carol exists but is not a member. 😀 is two UTF-16 units.
        const QString content = u"😀 @bob 和 @小明 看看, @carol @alice"_s;
        const Mention bob = spanOf(content, u"bob"_s, m_bob.id);
        const Mention ming = spanOf(content, u"小明"_s, m_ming.id);
        const Mention self = spanOf(content, u"alice"_s, m_alice.id);
        QCOMPARE(bob.indexStart, 3);
        QCOMPARE(bob.indexEnd, 7);
        QCOMPARE(ming.indexStart, 10);
        QCOMPARE(ming.indexEnd, 13);
        const QList<Mention> sent{
            bob,
            Mention{m_bob.id, 4, 8},                           // off by one
            Mention{m_bob.id, ming.indexStart, ming.indexEnd}, // someone else's span
            ming,
            spanOf(content, u"carol"_s, m_carol.id),     // not a member
            Mention{9999, bob.indexStart, bob.indexEnd}, // no such user
            self,                                        // kept, but not notified
            bob,                                         // repeated span
            Mention{m_ming.id, 40, 43},                  // out of range
        };
        TAKE(const InsertedMessage inserted, send(room.id, m_alice.id, content, u"a-1"_s, sent));
        QCOMPARE(inserted.message.mentions, QList<Mention>({bob, ming, self}));
        QCOMPARE(inserted.mentionedUserIds, QList<Id>({m_bob.id, m_ming.id}));
        TAKE(const MessagePage page, m_store->fetchMessages(room.id, {}, {}, 10));
        QCOMPARE(page.messages.at(0).mentions, QList<Mention>({bob, ming, self}));

        TAKE(const Room forBob, m_store->roomForUser(room.id, m_bob.id));
        QCOMPARE(forBob.mentionCount, 1);
        TAKE(const Room forAlice, m_store->roomForUser(room.id, m_alice.id));
        QCOMPARE(forAlice.mentionCount, 0);
        TAKE(const MessagePage bobMentions, m_store->listMentions(m_bob.id, {}, 10));
        QCOMPARE(idsOf(bobMentions.messages), QList<Id>({inserted.message.id}));
        TAKE(const MessagePage aliceMentions, m_store->listMentions(m_alice.id, {}, 10));
        QVERIFY(aliceMentions.messages.isEmpty());
        TAKE(const MessagePage carolMentions, m_store->listMentions(m_carol.id, {}, 10));
        QVERIFY(carolMentions.messages.isEmpty());

        // A span must be exactly '@' + username: the display name does not count.
        const QString byName = u"@王小明 hi"_s;
        TAKE(const InsertedMessage named,
             send(room.id, m_bob.id, byName, u"b-1"_s, {Mention{m_ming.id, 0, 4}}));
        QVERIFY(named.message.mentions.isEmpty());
        QVERIFY(named.mentionedUserIds.isEmpty());
    }

    void fetchMessagesPaging()
    {
        TAKE(const Room room, m_store->createGroup(u"History"_s, m_alice.id, {m_bob.id}, tick()));
        TAKE(const Room other, m_store->createGroup(u"Other"_s, m_alice.id, {}, tick()));
        QList<Id> ids;
        for (int i = 0; i < 23; ++i) { // interleaved with another room: ids have gaps
            TAKE(const InsertedMessage m,
                 send(room.id, i % 2 ? m_alice.id : m_bob.id, u"message %1"_s.arg(i), u"h-%1"_s.arg(i)));
            ids.append(m.message.id);
            TAKE(const InsertedMessage noise,
                 send(other.id, m_alice.id, u"noise %1"_s.arg(i), u"n-%1"_s.arg(i)));
            QVERIFY(noise.message.id > m.message.id);
        }

        // Backwards from the newest page.
        QList<Id> seen;
        QList<bool> more;
        std::optional<Id> before;
        for (int guard = 0; guard < 10; ++guard) {
            TAKE(const MessagePage page, m_store->fetchMessages(room.id, before, {}, 10));
            QVERIFY(std::is_sorted(page.messages.begin(), page.messages.end(),
                                   [](const Message& a, const Message& b) { return a.id < b.id; }));
            seen = idsOf(page.messages) + seen;
            more.append(page.hasMore);
            if (!page.hasMore)
                break;
            before = page.messages.first().id;
        }
        QCOMPARE(seen, ids);
        QCOMPARE(more, QList<bool>({true, true, false}));
        TAKE(const MessagePage newest, m_store->fetchMessages(room.id, {}, {}, 10));
        QCOMPARE(idsOf(newest.messages), ids.mid(13));
        QCOMPARE(newest.messages.last().content, u"message 22"_s);

        // Forwards from the start.
        seen.clear();
        more.clear();
        std::optional<Id> after = 0;
        for (int guard = 0; guard < 10; ++guard) {
            TAKE(const MessagePage page, m_store->fetchMessages(room.id, {}, after, 10));
            seen += idsOf(page.messages);
            more.append(page.hasMore);
            if (!page.hasMore)
                break;
            after = page.messages.last().id;
        }
        QCOMPARE(seen, ids);
        QCOMPARE(more, QList<bool>({true, true, false}));

        // hasMore is exact at the boundary.
        TAKE(const MessagePage exact, m_store->fetchMessages(room.id, {}, {}, 23));
        QCOMPARE(exact.messages.size(), 23);
        QVERIFY(!exact.hasMore);
        TAKE(const MessagePage oneShort, m_store->fetchMessages(room.id, {}, {}, 22));
        QVERIFY(oneShort.hasMore);
        TAKE(const MessagePage afterLast, m_store->fetchMessages(room.id, {}, ids.last(), 10));
        QVERIFY(afterLast.messages.isEmpty() && !afterLast.hasMore);
        TAKE(const MessagePage beforeFirst, m_store->fetchMessages(room.id, ids.first(), {}, 10));
        QVERIFY(beforeFirst.messages.isEmpty() && !beforeFirst.hasMore);
        TAKE(const MessagePage between, m_store->fetchMessages(room.id, ids.at(5), ids.at(1), 10));
        QCOMPARE(idsOf(between.messages), ids.mid(2, 3));
        TAKE(const MessagePage empty, m_store->fetchMessages(9999, {}, {}, 10));
        QVERIFY(empty.messages.isEmpty() && !empty.hasMore);
    }

    void unreadMentionsAndReadMarker()
    {
        TAKE(const Room room, m_store->createGroup(u"Ops"_s, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        TAKE(const Room quiet, m_store->createGroup(u"Quiet"_s, m_alice.id, {m_bob.id}, tick()));
        const QString callBob = u"@bob deploy?"_s;
        TAKE(const InsertedMessage a1, send(room.id, m_alice.id, u"standup in 5"_s, u"a-1"_s));
        TAKE(const InsertedMessage b1, send(room.id, m_bob.id, u"ok"_s, u"b-1"_s));
        TAKE(const InsertedMessage a2,
             send(room.id, m_alice.id, callBob, u"a-2"_s, {spanOf(callBob, u"bob"_s, m_bob.id)}));
        TAKE(const InsertedMessage b2, send(room.id, m_bob.id, u"done"_s, u"b-2"_s));
        TAKE(const InsertedMessage a3, send(room.id, m_alice.id, u"thanks @bob"_s, u"a-3"_s,
                                            {spanOf(u"thanks @bob"_s, u"bob"_s, m_bob.id)}));
        TAKE(const InsertedMessage q1, send(quiet.id, m_alice.id, u"elsewhere"_s, u"q-1"_s));

        const auto counts = [this, &room](Id user) {
            Result<Room> r = m_store->roomForUser(room.id, user);
            return r ? QList<int>({r->unreadCount, r->mentionCount}) : QList<int>({-1, -1});
        };
        QCOMPARE(counts(m_bob.id), QList<int>({3, 2}));   // a1 a2 a3; mentions a2 a3
        QCOMPARE(counts(m_alice.id), QList<int>({2, 0})); // b1 b2
        QCOMPARE(counts(m_carol.id), QList<int>({5, 0}));

        TAKE(const Id marker1, m_store->markRead(room.id, m_bob.id, b1.message.id));
        QCOMPARE(marker1, b1.message.id);
        QCOMPARE(counts(m_bob.id), QList<int>({2, 2}));
        TAKE(const Id marker2, m_store->markRead(room.id, m_bob.id, a2.message.id));
        QCOMPARE(marker2, a2.message.id);
        QCOMPARE(counts(m_bob.id), QList<int>({1, 1}));
        // Never backwards: an older id leaves the marker where it is.
        TAKE(const Id marker3, m_store->markRead(room.id, m_bob.id, a1.message.id));
        QCOMPARE(marker3, a2.message.id);
        QCOMPARE(counts(m_bob.id), QList<int>({1, 1}));
        TAKE(const Id marker4, m_store->markRead(room.id, m_bob.id, a3.message.id));
        QCOMPARE(marker4, a3.message.id);
        QCOMPARE(counts(m_bob.id), QList<int>({0, 0}));
        QCOMPARE(counts(m_carol.id), QList<int>({5, 0})); // markers are per member
        TAKE(const Room quietForBob, m_store->roomForUser(quiet.id, m_bob.id));
        QCOMPARE(quietForBob.unreadCount, 1);

        EXPECT_ERROR(m_store->markRead(room.id, m_bob.id, q1.message.id), "not_found",
                     "no such message in this room");
        EXPECT_ERROR(m_store->markRead(room.id, m_bob.id, 99999), "not_found",
                     "no such message in this room");
        EXPECT_ERROR(m_store->markRead(quiet.id, m_carol.id, q1.message.id), "forbidden",
                     "no such room or not a member");

        // Deleted messages are neither unread nor the last message; history still has them.
        AdminConnection admin(m_url);
        QVERIFY(admin.exec(u"UPDATE messages SET deleted = 1 WHERE id = ?"_s, {a3.message.id}));
        QCOMPARE(counts(m_carol.id), QList<int>({4, 0}));
        TAKE(const Room forCarol, m_store->roomForUser(room.id, m_carol.id));
        QCOMPARE(forCarol.lastMessage->id, b2.message.id);
        TAKE(const MessagePage history, m_store->fetchMessages(room.id, {}, {}, 10));
        QCOMPARE(history.messages.last().id, a3.message.id);
        QCOMPARE(history.messages.last().deleted, true);
    }

    void listMentions()
    {
        TAKE(const Room one, m_store->createGroup(u"One"_s, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        TAKE(const Room two, m_store->createGroup(u"Two"_s, m_carol.id, {m_bob.id}, tick()));
        QList<Id> expected; // newest first
        for (int i = 0; i < 5; ++i) {
            const bool inOne = i % 2 == 0;
            const QString text = u"@bob item %1"_s.arg(i);
            TAKE(const InsertedMessage m, send(inOne ? one.id : two.id, inOne ? m_alice.id : m_carol.id, text,
                                               u"m-%1"_s.arg(i), {spanOf(text, u"bob"_s, m_bob.id)}));
            QCOMPARE(m.mentionedUserIds, QList<Id>({m_bob.id}));
            expected.prepend(m.message.id);
            TAKE(const InsertedMessage plain,
                 send(one.id, m_alice.id, u"no mention %1"_s.arg(i), u"p-%1"_s.arg(i)));
            Q_UNUSED(plain);
        }
        TAKE(const MessagePage page1, m_store->listMentions(m_bob.id, {}, 2));
        QCOMPARE(idsOf(page1.messages), expected.mid(0, 2));
        QVERIFY(page1.hasMore);
        TAKE(const MessagePage page2, m_store->listMentions(m_bob.id, page1.messages.last().id, 2));
        QCOMPARE(idsOf(page2.messages), expected.mid(2, 2));
        QVERIFY(page2.hasMore);
        TAKE(const MessagePage page3, m_store->listMentions(m_bob.id, page2.messages.last().id, 2));
        QCOMPARE(idsOf(page3.messages), expected.mid(4));
        QVERIFY(!page3.hasMore);
        QCOMPARE(page3.messages.at(0).content, u"@bob item 0"_s);

        // Only rooms the user is still in.
        VERIFY_OK(m_store->leaveRoom(two.id, m_bob.id));
        TAKE(const MessagePage remaining, m_store->listMentions(m_bob.id, {}, 10));
        QCOMPARE(idsOf(remaining.messages), QList<Id>({expected.at(0), expected.at(2), expected.at(4)}));
        QVERIFY(!remaining.hasMore);
    }
};

CONFAB_TEST_GUILESS_MAIN(TestStoreMessages)
#include "tst_store_messages.moc"
