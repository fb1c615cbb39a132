// The storage layer against a real database, on every backend (store_fixture.h). Files (issue 16): an
// upload refused before anything is stored (membership, quota), chunks appended only at the offset held,
// completion hashing what was stored (a mismatch deletes), attachments claimed with the message all or
// nothing, who may read the bytes, deleting the message deleting its files, stale uploads pruned.

#include "store_fixture.h"

#include <QCryptographicHash>

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

namespace {

QString sha256Hex(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QByteArray pattern(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char((i * 7 + i / 251) & 0xff);
    return bytes;
}

} // namespace

class TestStoreFiles : public StoreFixture {
    Q_OBJECT

    NewUpload upload(Id roomId, const QByteArray& bytes, Id userId = 0, QString sha = {},
                     qint64 quota = 1 << 30)
    {
        NewUpload u;
        u.userId = userId ? userId : m_alice.id;
        u.roomId = roomId;
        u.declared = FileInfo{0,
                              u"a.bin"_s,
                              bytes.size(),
                              u"application/octet-stream"_s,
                              sha.isEmpty() ? sha256Hex(bytes) : sha,
                              std::nullopt,
                              std::nullopt,
                              std::nullopt};
        u.quotaBytes = quota;
        u.now = tick();
        return u;
    }

    // A finished upload of `bytes` by `userId`, sent in chunks of `chunk` bytes.
    Result<FileInfo> stored(Id roomId, const QByteArray& bytes, Id userId = 0, qsizetype chunk = 1000)
    {
        Result<UploadState> state = m_store->createUpload(upload(roomId, bytes, userId));
        if (!state)
            return state.error();
        const Id user = userId ? userId : m_alice.id;
        for (qsizetype at = 0; at < bytes.size(); at += chunk) {
            Result<ChunkAppended> appended =
                m_store->appendFileChunk(user, state->file.id, at, bytes.mid(at, chunk), tick());
            if (!appended)
                return appended.error();
        }
        return m_store->finishUpload(user, state->file.id, tick());
    }

    QByteArray readAll(Id userId, Id fileId, qint64 size)
    {
        QByteArray all;
        while (all.size() < size) {
            Result<QByteArray> part = m_store->fileBytes(userId, fileId, all.size());
            if (!part || part->isEmpty())
                return {};
            all.append(part.value());
        }
        return all;
    }

private slots:
    void chunksAppendOnlyAtTheOffsetHeld()
    {
        TAKE(const Room room, m_store->createGroup(u"Files"_s, m_alice.id, {m_bob.id}, tick()));
        const QByteArray bytes = pattern(2500);
        TAKE(const UploadState fresh, m_store->createUpload(upload(room.id, bytes)));
        QCOMPARE(fresh.received, 0);
        QVERIFY(fresh.file.id > 0);
        const Id id = fresh.file.id;
        TAKE(const ChunkAppended first,
             m_store->appendFileChunk(m_alice.id, id, 0, bytes.left(1000), tick()));
        QCOMPARE(first.received, 1000);
        QCOMPARE(first.size, 2500);
        // A repeat, a gap, someone else's, past the end: refused, nothing stored.
        const auto expected = m_store->appendFileChunk(m_alice.id, id, 0, bytes.left(1000), tick());
        QVERIFY(!expected.ok());
        QCOMPARE(expected.error().message, u"expected offset 1000"_s);
        QCOMPARE(expected.error().offset, 1000);
        EXPECT_ERROR(m_store->appendFileChunk(m_alice.id, id, 1500, bytes.mid(1500, 10), tick()),
                     "bad_request", "expected offset 1000");
        EXPECT_ERROR(m_store->appendFileChunk(m_bob.id, id, 1000, bytes.mid(1000, 10), tick()), "not_found",
                     "no such upload");
        EXPECT_ERROR(m_store->appendFileChunk(m_alice.id, id, 1000, pattern(1501), tick()), "bad_request",
                     "the chunk ends past the file's size (2500 bytes)");
        TAKE(const UploadState held, m_store->uploadState(m_alice.id, id));
        QCOMPARE(held.received, 1000);
        EXPECT_ERROR(m_store->uploadState(m_bob.id, id), "not_found", "no such upload");
        VERIFY_OK(m_store->appendFileChunk(m_alice.id, id, 1000, bytes.mid(1000), tick()));
        TAKE(const FileInfo done, m_store->finishUpload(m_alice.id, id, tick()));
        QCOMPARE(done.sha256, sha256Hex(bytes));
        TAKE(const UploadState finished, m_store->uploadState(m_alice.id, id));
        QVERIFY(finished.finished);
        EXPECT_ERROR(m_store->appendFileChunk(m_alice.id, id, 2500, "x", tick()), "not_found",
                     "no such upload");
        // Unattached: only the uploader reads it.
        QCOMPARE(readAll(m_alice.id, id, bytes.size()), bytes);
        EXPECT_ERROR(m_store->downloadableFile(m_bob.id, id), "not_found", "no such file");
        EXPECT_ERROR(m_store->fileBytes(m_bob.id, id, 0), "not_found", "no such file");
    }

    void wrongHashDeletes()
    {
        TAKE(const Room room, m_store->createGroup(u"Files"_s, m_alice.id, {}, tick()));
        const QByteArray bytes = pattern(100);
        TAKE(const UploadState state, m_store->createUpload(upload(room.id, bytes, 0, sha256Hex("else"))));
        VERIFY_OK(m_store->appendFileChunk(m_alice.id, state.file.id, 0, bytes, tick()));
        EXPECT_ERROR(m_store->finishUpload(m_alice.id, state.file.id, tick()), "bad_request",
                     "sha256 does not match the bytes received");
        EXPECT_ERROR(m_store->uploadState(m_alice.id, state.file.id), "not_found", "no such upload");
        AdminConnection admin(m_url);
        QCOMPARE(admin.scalar(u"SELECT COUNT(*) FROM file_chunks"_s).toInt(), 0);
    }

    void refusedBeforeStoring()
    {
        TAKE(const Room room, m_store->createGroup(u"Files"_s, m_alice.id, {}, tick()));
        EXPECT_ERROR(m_store->createUpload(upload(room.id, pattern(10), m_bob.id)), "forbidden",
                     "no such room or not a member");
        VERIFY_OK(m_store->createUpload(upload(room.id, pattern(600), 0, {}, 1000)));
        EXPECT_ERROR(m_store->createUpload(upload(room.id, pattern(401), 0, {}, 1000)), "too_large",
                     "over your storage quota (400 bytes free)");
        AdminConnection admin(m_url);
        QCOMPARE(admin.scalar(u"SELECT COUNT(*) FROM files"_s).toInt(), 1);
    }

    void attachmentsClaimedAllOrNothing()
    {
        TAKE(const Room room, m_store->createGroup(u"Files"_s, m_alice.id, {m_bob.id}, tick()));
        TAKE(const FileInfo mine, stored(room.id, pattern(3000)));
        TAKE(const FileInfo bobs, stored(room.id, pattern(10), m_bob.id));
        NewMessage message{room.id, m_alice.id, QString(), u"t1"_s,
                           {},      {},         tick(),    {{mine.id, {}}, {bobs.id, {}}}};
        EXPECT_ERROR(m_store->insertMessage(message), "not_found", "no such file");
        TAKE(const MessagePage none, m_store->fetchMessages(room.id, {}, {}, 10));
        QVERIFY(none.messages.isEmpty());
        message.attachments = {{mine.id, {}}};
        TAKE(const InsertedMessage sent, m_store->insertMessage(message));
        QCOMPARE(sent.message.attachments, QList<FileInfo>{mine});
        TAKE(const MessagePage page, m_store->fetchMessages(room.id, {}, {}, 10));
        QCOMPARE(page.messages.constFirst().attachments, QList<FileInfo>{mine});
        // Now the room's: bob reads it; it is no longer an upload to resume or cancel.
        QCOMPARE(readAll(m_bob.id, mine.id, mine.size), pattern(3000));
        EXPECT_ERROR(m_store->cancelUpload(m_alice.id, mine.id), "not_found", "no such upload");
        message.tempId = u"t2"_s;
        EXPECT_ERROR(m_store->insertMessage(message), "not_found", "no such file");
        // Deleting the message deletes the file.
        TAKE(const ChangedMessage deleted,
             m_store->deleteMessage(sent.message.id, m_alice.id, tick(), 86400000));
        QVERIFY(deleted.message.attachments.isEmpty());
        EXPECT_ERROR(m_store->fileBytes(m_bob.id, mine.id, 0), "not_found", "no such file");
        AdminConnection admin(m_url);
        QCOMPARE(admin.scalar(u"SELECT COUNT(*) FROM files WHERE id = %1"_s.arg(mine.id)).toInt(), 0);
    }

    void staleUploadsPruned()
    {
        TAKE(const Room room, m_store->createGroup(u"Files"_s, m_alice.id, {}, tick()));
        TAKE(const FileInfo old, stored(room.id, pattern(10)));
        TAKE(const UploadState unfinished, m_store->createUpload(upload(room.id, pattern(10))));
        TAKE(const FileInfo kept, stored(room.id, pattern(10)));
        VERIFY_OK(
            m_store->insertMessage({room.id, m_alice.id, u"x"_s, u"t"_s, {}, {}, tick(), {{kept.id, {}}}}));
        TAKE(const int pruned, m_store->pruneUploads(m_clock + 1, 100));
        QCOMPARE(pruned, 2);
        EXPECT_ERROR(m_store->uploadState(m_alice.id, old.id), "not_found", "no such upload");
        EXPECT_ERROR(m_store->uploadState(m_alice.id, unfinished.file.id), "not_found", "no such upload");
        VERIFY_OK(m_store->downloadableFile(m_alice.id, kept.id));
    }
};

CONFAB_TEST_GUILESS_MAIN(TestStoreFiles)
#include "tst_store_files.moc"
