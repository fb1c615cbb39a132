#include "admin/file_util.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>

namespace confab::server::admin::files {

namespace {

// SQLite's unix VFS lock layout (stable: it is the file format's locking
// protocol): the DMS byte of the WAL index, and PENDING..SHARED of the
// database file.
constexpr off_t kShmDmsByte = 128;
constexpr off_t kPendingByte = 0x40000000;
constexpr off_t kLockBytes = 2 + 510;

Error posixError(const QString& what, const QString& path)
{
    return makeError(
        ErrorCode::Internal,
        QStringLiteral("%1 %2: %3").arg(what, path, QString::fromLocal8Bit(std::strerror(errno))));
}

// Would a write lock on [start, start+length) of `fd` conflict with another process's lock?
Result<bool> lockedByOther(int fd, off_t start, off_t length, const QString& path)
{
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = start;
    probe.l_len = length;
    if (::fcntl(fd, F_GETLK, &probe) != 0)
        return posixError(QStringLiteral("cannot test the locks of"), path);
    return probe.l_type != F_UNLCK;
}

} // namespace

Result<void> createPrivateFile(const QString& path)
{
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return posixError(QStringLiteral("cannot create"), path);
    ::close(fd);
    return {};
}

Result<void> syncFileAndDirectory(const QString& path)
{
    for (const QString& target : {path, QFileInfo(path).absolutePath()}) {
        const QByteArray name = QFile::encodeName(target);
        const int fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return posixError(QStringLiteral("cannot open"), target);
        const int synced = ::fsync(fd);
        ::close(fd);
        if (synced != 0)
            return posixError(QStringLiteral("cannot fsync"), target);
    }
    return {};
}

Result<void> replaceFile(const QString& from, const QString& to)
{
    if (::rename(QFile::encodeName(from).constData(), QFile::encodeName(to).constData()) != 0)
        return posixError(QStringLiteral("cannot rename %1 to").arg(from), to);
    return {};
}

Result<bool> sqliteDatabaseInUse(const QString& path)
{
    // Closing a descriptor drops every POSIX lock this process holds on the
    // file: callers must not have the database open themselves.
    const QString shm = path + QStringLiteral("-shm");
    for (const auto& [file, start, length] :
         {std::tuple{shm, kShmDmsByte, off_t(1)}, std::tuple{path, kPendingByte, kLockBytes}}) {
        if (!QFileInfo::exists(file))
            continue;
        const int fd = ::open(QFile::encodeName(file).constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return posixError(QStringLiteral("cannot open"), file);
        Result<bool> locked = lockedByOther(fd, start, length, file);
        ::close(fd);
        if (!locked || locked.value())
            return locked;
    }
    return false;
}

Result<int> takeSqliteExclusive(const QString& path)
{
    const QString shm = path + QStringLiteral("-shm");
    const int fd = ::open(QFile::encodeName(shm).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return posixError(QStringLiteral("cannot open"), shm);
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = kShmDmsByte;
    lock.l_len = 1;
    if (::fcntl(fd, F_SETLK, &lock) != 0) {
        ::close(fd);
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("the database %1 is in use (a running server?)").arg(path));
    }
    return fd;
}

void releaseSqliteExclusive(int fd)
{
    if (fd >= 0)
        ::close(fd);
}

} // namespace confab::server::admin::files
