#include "sync_probe_vfs.hpp"

#include <sqlite3.h>

#include <memory>
#include <stdexcept>

namespace esk::testing {

// The probe's VFS callbacks: each forwards to the wrapped VFS or file.
struct sync_probe_access {
  // A file of the probe: SQLite allocates szOsFile bytes; the wrapped VFS's file follows.
  struct file {
    sqlite3_file base;
    sqlite3_file* wrapped;
    sync_probe_vfs* probe;
    bool is_wal;
  };

  static sync_probe_vfs& probe_of(sqlite3_vfs* vfs) {
    return *static_cast<sync_probe_vfs*>(vfs->pAppData);
  }
  static sqlite3_vfs* wrapped_of(sqlite3_vfs* vfs) { return probe_of(vfs).wrapped_; }
  static file& as_file(sqlite3_file* f) { return *reinterpret_cast<file*>(f); }
  static sqlite3_file* inner(sqlite3_file* f) { return as_file(f).wrapped; }

  static int sync(sqlite3_file* f, int flags) {
    file& probed = as_file(f);
    if (probed.is_wal) {
      ++probed.probe->wal_syncs_;
      if (probed.probe->fail_next_wal_sync_.exchange(false)) return SQLITE_IOERR_FSYNC;
    }
    return probed.wrapped->pMethods->xSync(probed.wrapped, flags);
  }

  static int close(sqlite3_file* f) {
    int code = inner(f)->pMethods->xClose(inner(f));
    f->pMethods = nullptr;
    return code;
  }
  static int read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
    if (as_file(f).probe->read_hook_) as_file(f).probe->read_hook_();
    return inner(f)->pMethods->xRead(inner(f), buffer, amount, offset);
  }
  static int write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
    return inner(f)->pMethods->xWrite(inner(f), buffer, amount, offset);
  }
  static int truncate(sqlite3_file* f, sqlite3_int64 size) {
    return inner(f)->pMethods->xTruncate(inner(f), size);
  }
  static int file_size(sqlite3_file* f, sqlite3_int64* size) {
    return inner(f)->pMethods->xFileSize(inner(f), size);
  }
  static int lock(sqlite3_file* f, int level) { return inner(f)->pMethods->xLock(inner(f), level); }
  static int unlock(sqlite3_file* f, int level) {
    return inner(f)->pMethods->xUnlock(inner(f), level);
  }
  static int check_reserved_lock(sqlite3_file* f, int* out) {
    return inner(f)->pMethods->xCheckReservedLock(inner(f), out);
  }
  static int file_control(sqlite3_file* f, int op, void* arg) {
    return inner(f)->pMethods->xFileControl(inner(f), op, arg);
  }
  static int sector_size(sqlite3_file* f) { return inner(f)->pMethods->xSectorSize(inner(f)); }
  static int device_characteristics(sqlite3_file* f) {
    return inner(f)->pMethods->xDeviceCharacteristics(inner(f));
  }
  static int shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return inner(f)->pMethods->xShmMap(inner(f), region, size, extend, out);
  }
  static int shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return inner(f)->pMethods->xShmLock(inner(f), offset, n, flags);
  }
  static void shm_barrier(sqlite3_file* f) { inner(f)->pMethods->xShmBarrier(inner(f)); }
  static int shm_unmap(sqlite3_file* f, int delete_flag) {
    return inner(f)->pMethods->xShmUnmap(inner(f), delete_flag);
  }
  static int fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    return inner(f)->pMethods->xFetch(inner(f), offset, amount, out);
  }
  static int unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
    return inner(f)->pMethods->xUnfetch(inner(f), offset, page);
  }

  static constexpr sqlite3_io_methods methods{3,
                                              close,
                                              read,
                                              write,
                                              truncate,
                                              sync,
                                              file_size,
                                              lock,
                                              unlock,
                                              check_reserved_lock,
                                              file_control,
                                              sector_size,
                                              device_characteristics,
                                              shm_map,
                                              shm_lock,
                                              shm_barrier,
                                              shm_unmap,
                                              fetch,
                                              unfetch};

  static int open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    file& probed = as_file(f);
    probed.wrapped = reinterpret_cast<sqlite3_file*>(&probed + 1);
    probed.probe = &probe_of(vfs);
    probed.is_wal = (flags & SQLITE_OPEN_WAL) != 0;
    if ((flags & SQLITE_OPEN_MAIN_DB) != 0) ++probed.probe->database_opens_;
    int code = wrapped_of(vfs)->xOpen(wrapped_of(vfs), name, probed.wrapped, flags, out_flags);
    f->pMethods = probed.wrapped->pMethods != nullptr ? &methods : nullptr;
    return code;
  }
  static int remove(sqlite3_vfs* vfs, const char* name, int sync_dir) {
    return wrapped_of(vfs)->xDelete(wrapped_of(vfs), name, sync_dir);
  }
  static int access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
    return wrapped_of(vfs)->xAccess(wrapped_of(vfs), name, flags, out);
  }
  static int full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
    return wrapped_of(vfs)->xFullPathname(wrapped_of(vfs), name, size, out);
  }
  static void* dl_open(sqlite3_vfs* vfs, const char* name) {
    return wrapped_of(vfs)->xDlOpen(wrapped_of(vfs), name);
  }
  static void dl_error(sqlite3_vfs* vfs, int size, char* out) {
    wrapped_of(vfs)->xDlError(wrapped_of(vfs), size, out);
  }
  static void (*dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
    return wrapped_of(vfs)->xDlSym(wrapped_of(vfs), handle, symbol);
  }
  static void dl_close(sqlite3_vfs* vfs, void* handle) {
    wrapped_of(vfs)->xDlClose(wrapped_of(vfs), handle);
  }
  static int randomness(sqlite3_vfs* vfs, int size, char* out) {
    return wrapped_of(vfs)->xRandomness(wrapped_of(vfs), size, out);
  }
  static int sleep(sqlite3_vfs* vfs, int microseconds) {
    return wrapped_of(vfs)->xSleep(wrapped_of(vfs), microseconds);
  }
  static int current_time(sqlite3_vfs* vfs, double* out) {
    return wrapped_of(vfs)->xCurrentTime(wrapped_of(vfs), out);
  }
  static int last_error(sqlite3_vfs* vfs, int size, char* out) {
    return wrapped_of(vfs)->xGetLastError(wrapped_of(vfs), size, out);
  }
  static int current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
    return wrapped_of(vfs)->xCurrentTimeInt64(wrapped_of(vfs), out);
  }

  static sqlite3_vfs make_vfs(sync_probe_vfs& probe, sqlite3_vfs* wrapped) {
    sqlite3_vfs vfs{};
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(file)) + wrapped->szOsFile;
    vfs.mxPathname = wrapped->mxPathname;
    vfs.zName = "esk-sync-probe";
    vfs.pAppData = &probe;
    vfs.xOpen = open;
    vfs.xDelete = remove;
    vfs.xAccess = access;
    vfs.xFullPathname = full_pathname;
    vfs.xDlOpen = dl_open;
    vfs.xDlError = dl_error;
    vfs.xDlSym = dl_sym;
    vfs.xDlClose = dl_close;
    vfs.xRandomness = randomness;
    vfs.xSleep = sleep;
    vfs.xCurrentTime = current_time;
    vfs.xGetLastError = last_error;
    vfs.xCurrentTimeInt64 = current_time_int64;
    return vfs;
  }
};

namespace {

sqlite3_vfs probe_vfs{};  // SQLite keeps a pointer to it while it is registered

int weaken_sync(sqlite3* db, char**, const sqlite3_api_routines*) {
  return sqlite3_exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
}

}  // namespace

sync_probe_vfs::sync_probe_vfs() : wrapped_(sqlite3_vfs_find(nullptr)) {
  if (wrapped_ == nullptr) throw std::runtime_error("SQLite has no default VFS");
  probe_vfs = sync_probe_access::make_vfs(*this, wrapped_);
  if (sqlite3_vfs_register(&probe_vfs, 1) != SQLITE_OK)
    throw std::runtime_error("cannot register the sync probe VFS");
}

sync_probe_vfs::~sync_probe_vfs() {
  sqlite3_vfs_unregister(&probe_vfs);
  sqlite3_vfs_register(wrapped_, 1);
}

weak_sync_default::weak_sync_default() {
  if (sqlite3_auto_extension(reinterpret_cast<void (*)(void)>(weaken_sync)) != SQLITE_OK)
    throw std::runtime_error("cannot register the synchronous=NORMAL default");
}

weak_sync_default::~weak_sync_default() {
  sqlite3_cancel_auto_extension(reinterpret_cast<void (*)(void)>(weaken_sync));
}

}  // namespace esk::testing
