// The message model through a message's life after it was sent: edits,
// deletions, reactions, replies and the catch-up pages of fetch_changes,
// watched by QAbstractItemModelTester. Also the emoji picker's list.
#include "client_settings.h"
#include "emoji_model.h"
#include "message_highlighter.h"
#include "message_list_model.h"
#include "user_directory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace confab;
using namespace confab::client;

namespace {

User onlineUser(Id id, const QString& username, const QString& displayName)
{
    User user;
    user.id = id;
    user.username = username;
    user.displayName = displayName;
    user.online = true;
    return user;
}

constexpr Id kMe = 1;
constexpr Id kBob = 2;
constexpr Id kRoom = 7;

Message message(Id id, Id senderId, const QString& content, qint64 revision)
{
    Message m;
    m.id = id;
    m.roomId = kRoom;
    m.senderId = senderId;
    m.content = content;
    m.createdAt = 1'700'000'000'000 + id * 1000;
    m.revision = revision;
    return m;
}

} // namespace

class TestMessageLifecycleModel : public QObject {
    Q_OBJECT
private slots:
    void init();
    void rolesStartAfterUserRole();
    void editReplacesTheRowOnlyWhenNewer();
    void deletionLeavesAPlaceholderAndItsRepliesSaySo();
    void reactionsToggleAndCount();
    void catchUpPagesTouchOnlyLoadedRows();
    void lastEditableIsMyNewestLiveMessage();
    void emojiPickerPutsFrequentFirstAndFilters();
    void emojiRunsGetTheColourFont();

private:
    std::unique_ptr<UserDirectory> m_users;
    std::unique_ptr<MessageListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QVariantMap row(int r, int role) const { return m_model->data(m_model->index(r), role).toMap(); }
    QVariant at(int r, int role) const { return m_model->data(m_model->index(r), role); }
};

void TestMessageLifecycleModel::init()
{
    m_tester.reset();
    m_model.reset();
    m_users = std::make_unique<UserDirectory>();
    m_users->upsertAll({onlineUser(kMe, QStringLiteral("mei"), QStringLiteral("Mei Lin")),
                        onlineUser(kBob, QStringLiteral("bob"), QStringLiteral("Bob Wang"))});
    m_model = std::make_unique<MessageListModel>(m_users.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setSelfUserId(kMe);
    m_model->reset(kRoom);
    Message reply = message(12, kBob, QStringLiteral("I agree\nwith the plan"), 5);
    reply.replyTo = 10;
    reply.replyPreview = ReplyPreview{10, kMe, QStringLiteral("Ship it on Friday?\nOr Monday."), false};
    m_model->setNewestPage({message(10, kMe, QStringLiteral("Ship it on Friday?\nOr Monday."), 3),
                            message(11, kMe, QStringLiteral("typo hree"), 4), reply},
                           false);
}

void TestMessageLifecycleModel::rolesStartAfterUserRole()
{
    const auto names = m_model->roleNames();
    for (const char* name :
         {"revision", "kind", "edited", "editedAtText", "deleted", "reactions", "replyPreview"})
        QVERIFY2(names.key(name) > Qt::UserRole, name);
    QCOMPARE(at(2, MessageListModel::ReplyPreviewRole).toMap().value(QStringLiteral("senderName")).toString(),
             QStringLiteral("Mei Lin"));
    QCOMPARE(row(2, MessageListModel::ReplyPreviewRole).value(QStringLiteral("text")).toString(),
             QStringLiteral("Ship it on Friday?"));
    QVERIFY(row(0, MessageListModel::ReplyPreviewRole).isEmpty());
    QCOMPARE(at(0, MessageListModel::KindRole).toInt(), int(MessageListModel::Kind::Text));
}

void TestMessageLifecycleModel::editReplacesTheRowOnlyWhenNewer()
{
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    Message edited = message(11, kMe, QStringLiteral("typo here"), 8);
    edited.editedAt = 1'700'000'100'000;
    QVERIFY(m_model->applyUpdate(edited));
    QCOMPARE(at(1, MessageListModel::ContentRole).toString(), QStringLiteral("typo here"));
    QVERIFY(at(1, MessageListModel::EditedRole).toBool());
    QVERIFY(!at(1, MessageListModel::EditedAtTextRole).toString().isEmpty());
    QCOMPARE(at(1, MessageListModel::RevisionRole).toDouble(), 8.0);
    QCOMPARE(changed.count(), 1);

    // An older copy (a live event that lost the race with a catch-up page) changes nothing.
    QVERIFY(m_model->applyUpdate(message(11, kMe, QStringLiteral("typo hree"), 4)));
    QCOMPARE(at(1, MessageListModel::ContentRole).toString(), QStringLiteral("typo here"));
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->maxRevision(), 8);
}

void TestMessageLifecycleModel::deletionLeavesAPlaceholderAndItsRepliesSaySo()
{
    Message gone = message(10, kMe, QString(), 9);
    gone.deleted = true;
    QVERIFY(m_model->applyUpdate(gone));
    QVERIFY(at(0, MessageListModel::DeletedRole).toBool());
    QCOMPARE(at(0, MessageListModel::ContentRole).toString(), QString());
    QVERIFY(!at(0, MessageListModel::EditedRole).toBool());
    const QVariantMap quote = row(2, MessageListModel::ReplyPreviewRole);
    QVERIFY(quote.value(QStringLiteral("deleted")).toBool());
    QCOMPARE(quote.value(QStringLiteral("text")).toString(), QString()); // the old text is gone here too
    QCOMPARE(m_model->rowCount(), 3);
}

void TestMessageLifecycleModel::reactionsToggleAndCount()
{
    const QString thumbs = QString::fromUtf8("👍");
    m_model->applyReaction(12, thumbs, kBob, true, 6);
    m_model->applyReaction(12, thumbs, kMe, true, 7);
    m_model->applyReaction(12, QString::fromUtf8("🎉"), kBob, true, 8);
    QVariantList reactions = at(2, MessageListModel::ReactionsRole).toList();
    QCOMPARE(reactions.size(), 2);
    QVariantMap first = reactions.at(0).toMap();
    QCOMPARE(first.value(QStringLiteral("emoji")).toString(), thumbs); // in order of first use
    QCOMPARE(first.value(QStringLiteral("count")).toInt(), 2);
    QVERIFY(first.value(QStringLiteral("mine")).toBool());
    QCOMPARE(first.value(QStringLiteral("names")).toString(), QStringLiteral("Bob Wang, You"));
    QVERIFY(m_model->hasMyReaction(12, thumbs));
    // A new display name reaches the tooltip (and the quote) at once.
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_users->upsert(onlineUser(kBob, QStringLiteral("bob"), QStringLiteral("Robert Wang")));
    QVERIFY(!changed.isEmpty());
    QCOMPARE(at(2, MessageListModel::ReactionsRole)
                 .toList()
                 .at(0)
                 .toMap()
                 .value(QStringLiteral("names"))
                 .toString(),
             QStringLiteral("Robert Wang, You"));
    m_users->upsert(onlineUser(kBob, QStringLiteral("bob"), QStringLiteral("Bob Wang")));

    m_model->applyReaction(12, thumbs, kMe, true, 7); // repeated: already applied
    m_model->applyReaction(12, thumbs, kMe, false, 9);
    reactions = at(2, MessageListModel::ReactionsRole).toList();
    first = reactions.at(0).toMap();
    QCOMPARE(first.value(QStringLiteral("count")).toInt(), 1);
    QVERIFY(!first.value(QStringLiteral("mine")).toBool());
    QVERIFY(!m_model->hasMyReaction(12, thumbs));
    m_model->applyReaction(12, thumbs, kBob, false, 10);
    QCOMPARE(at(2, MessageListModel::ReactionsRole).toList().size(), 1); // an emoji nobody uses goes
    m_model->applyReaction(99, thumbs, kBob, true, 11);                  // not loaded: ignored
    QCOMPARE(m_model->maxRevision(), 10);
}

void TestMessageLifecycleModel::catchUpPagesTouchOnlyLoadedRows()
{
    // fetch_changes returns changed old messages too; one that is not
    // loaded must not appear in the middle of what is.
    Message old = message(3, kBob, QStringLiteral("long ago, edited"), 20);
    QVERIFY(!m_model->applyUpdate(old));
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->oldestId(), Id(10));
}

void TestMessageLifecycleModel::lastEditableIsMyNewestLiveMessage()
{
    QCOMPARE(m_model->lastEditableId(), Id(11));
    Message gone = message(11, kMe, QString(), 9);
    gone.deleted = true;
    m_model->applyUpdate(gone);
    QCOMPARE(m_model->lastEditableId(), Id(10));
    m_model->addPending(QStringLiteral("p1"), QStringLiteral("pending"), {}, 1'700'000'200'000);
    QCOMPARE(m_model->lastEditableId(), Id(10)); // a pending send has no id to edit yet
}

void TestMessageLifecycleModel::emojiPickerPutsFrequentFirstAndFilters()
{
    QStandardPaths::setTestModeEnabled(true);
    ClientSettings settings(QStringLiteral("tst_emoji"));
    settings.setEmojiUse({});
    EmojiModel model(&settings);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.rowCount() > 40);
    QCOMPARE(model.emojiAt(0), QString::fromUtf8("👍"));
    const QString rocket = QString::fromUtf8("🚀");
    model.recordUse(rocket);
    model.recordUse(rocket);
    QCOMPARE(model.emojiAt(0), rocket);
    QVERIFY(model.data(model.index(0), EmojiModel::FrequentRole).toBool());

    model.setFilter(QStringLiteral("THUMBS"));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(0), EmojiModel::NameRole).toString(), QStringLiteral("thumbs up"));
    model.setFilter(QStringLiteral("no such emoji"));
    QCOMPARE(model.rowCount(), 0);

    EmojiModel again(&settings); // the counts persist in the profile
    QCOMPARE(again.emojiAt(0), rocket);
}

void TestMessageLifecycleModel::emojiRunsGetTheColourFont()
{
    const QString text = QString::fromUtf8("ok ❤️ then 👍🏽 and 👨‍👩‍👧 end");
    const auto runs = MessageHighlighter::emojiRuns(text);
    QStringList found;
    for (const auto& [start, length] : runs)
        found << text.mid(start, length);
    QCOMPARE(found, (QStringList{QString::fromUtf8("❤️"), QString::fromUtf8("👍🏽"),
                                 QString::fromUtf8("👨‍👩‍👧")}));
    QVERIFY(MessageHighlighter::emojiRuns(QStringLiteral("plain text, 中文")).isEmpty());
}

QTEST_GUILESS_MAIN(TestMessageLifecycleModel)

#include "tst_message_lifecycle_model.moc"
