// C ABI over FAISS for the MlTutor engine. See mltutor_faiss.h for the contract.
#include "mltutor_faiss.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexIDMap.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/index_io.h>

#include <omp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <unordered_set>

// The opaque handle handed to .NET: owns the ID map, which owns the flat index.
struct mltutor_faiss_index {
    std::unique_ptr<faiss::IndexIDMap2> map;
};

namespace {

thread_local std::string last_error;

// OpenMP thread count for FAISS calls. It starts at 1: even a single query opens a parallel region,
// and on a small busy machine waking a second thread turned a 1-2 ms search over a few thousand
// vectors into 8-16 ms. OpenMP keeps the count per thread and .NET calls arrive on arbitrary
// threads, so each call applies it to its own thread.
std::atomic<int> requested_threads{1};

void apply_thread_count() {
    const int wanted = requested_threads.load(std::memory_order_relaxed);
    if (wanted > 0 && omp_get_max_threads() != wanted)
        omp_set_num_threads(wanted);
}

int fail(const std::string& message) {
    last_error = message;
    return MLTUTOR_FAISS_ERROR;
}

// Runs body, turning every exception into an error code plus message.
template <typename Body>
int guarded(Body&& body) {
    try {
        last_error.clear();
        body();
        return MLTUTOR_FAISS_OK;
    } catch (const faiss::FaissException& e) {
        return fail(e.msg.empty() ? std::string(e.what()) : e.msg);
    } catch (const std::bad_alloc&) {
        return fail("out of memory");
    } catch (const std::exception& e) {
        return fail(e.what());
    } catch (...) {
        return fail("unknown native error");
    }
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

std::string errno_text() { return std::strerror(errno); }

// FAISS's reader trusts the sizes stored in the file and allocates them before reading, so a
// corrupt size field could ask for gigabytes. The layout of an IndexIDMap2 over IndexFlatIP is
// fixed, so the header is checked here and the file size must match it exactly before FAISS reads.
//
//   "IxM2" header  "IxFI" header  u64 n*d  float[n*d]  u64 n  int64[n]
//   header = i32 d, i64 ntotal, i64 dummy, i64 dummy, u8 is_trained, i32 metric_type
struct IndexHeader {
    int32_t d;
    int64_t ntotal;
    int32_t metric;
};

void read_exact(std::FILE* f, void* dst, size_t n, const char* what) {
    if (std::fread(dst, 1, n, f) != n)
        throw std::runtime_error(std::string("file ends inside the ") + what + " (truncated)");
}

std::string fourcc_text(const char (&tag)[4]) {
    std::string s;
    for (char c : tag) s += (c >= 32 && c < 127) ? c : '?';
    return s;
}

void expect_fourcc(std::FILE* f, const char* expected, const char* what) {
    char tag[4];
    read_exact(f, tag, 4, what);
    if (std::memcmp(tag, expected, 4) != 0)
        throw std::runtime_error(std::string("not a FAISS ID-mapped inner-product flat index: ") + what + " tag is '" +
                                 fourcc_text(tag) + "', expected '" + expected + "'");
}

IndexHeader read_header(std::FILE* f, const char* what) {
    IndexHeader h{};
    int64_t dummy;
    uint8_t trained;
    read_exact(f, &h.d, sizeof h.d, what);
    read_exact(f, &h.ntotal, sizeof h.ntotal, what);
    read_exact(f, &dummy, sizeof dummy, what);
    read_exact(f, &dummy, sizeof dummy, what);
    read_exact(f, &trained, sizeof trained, what);
    read_exact(f, &h.metric, sizeof h.metric, what);
    if (h.d <= 0 || h.ntotal < 0)
        throw std::runtime_error(std::string("corrupt ") + what + ": dimension " + std::to_string(h.d) + ", count " +
                                 std::to_string(h.ntotal));
    if (h.metric != faiss::METRIC_INNER_PRODUCT)
        throw std::runtime_error(std::string("not an inner-product index (") + what + " metric " +
                                 std::to_string(h.metric) + ")");
    return h;
}

void validate_layout(const char* path) {
    struct stat st {};
    if (::stat(path, &st) != 0) throw std::runtime_error("cannot open: " + errno_text());
    FilePtr f(std::fopen(path, "rb"));
    if (!f) throw std::runtime_error("cannot open: " + errno_text());

    expect_fourcc(f.get(), "IxM2", "index");
    const IndexHeader outer = read_header(f.get(), "index header");
    expect_fourcc(f.get(), "IxFI", "storage");
    const IndexHeader inner = read_header(f.get(), "storage header");
    if (inner.d != outer.d || inner.ntotal != outer.ntotal)
        throw std::runtime_error("corrupt header: index and storage disagree on dimension or count");

    uint64_t floats;
    read_exact(f.get(), &floats, sizeof floats, "vector count");
    const uint64_t n = static_cast<uint64_t>(outer.ntotal);
    const uint64_t d = static_cast<uint64_t>(outer.d);
    const uint64_t file_size = static_cast<uint64_t>(st.st_size);
    // Every vector costs at least 4*d + 8 bytes, so a count beyond file_size/(4d+8) is corrupt;
    // checking that first keeps the size arithmetic below from overflowing.
    if (n > file_size / (4 * d + 8) || floats != n * d)
        throw std::runtime_error("corrupt or truncated: header claims " + std::to_string(n) + " vectors of dimension " +
                                 std::to_string(d) + " in a file of " + std::to_string(file_size) + " bytes");
    constexpr uint64_t header_bytes = 4 + 4 + 8 + 8 + 8 + 1 + 4;
    const uint64_t expected = 2 * header_bytes + 8 + n * d * 4 + 8 + n * 8;
    if (expected != file_size)
        throw std::runtime_error("truncated or corrupt: its header implies " + std::to_string(expected) +
                                 " bytes but the file has " + std::to_string(file_size));
}

}  // namespace

extern "C" {

const char* mltutor_faiss_last_error(void) { return last_error.c_str(); }

int mltutor_faiss_create_ip(int32_t dimension, mltutor_faiss_index** out) {
    if (!out) return fail("out is null");
    *out = nullptr;
    if (dimension <= 0) return fail("dimension must be positive, got " + std::to_string(dimension));
    return guarded([&] {
        auto flat = std::make_unique<faiss::IndexFlatIP>(dimension);
        auto map = std::make_unique<faiss::IndexIDMap2>(flat.get());
        map->own_fields = true;
        flat.release();
        *out = new mltutor_faiss_index{std::move(map)};
    });
}

int mltutor_faiss_add(mltutor_faiss_index* index, int64_t n, const float* vectors, const int64_t* ids) {
    if (!index) return fail("index is null");
    if (n < 0) return fail("negative vector count");
    if (n == 0) return MLTUTOR_FAISS_OK;
    if (!vectors || !ids) return fail("vectors or ids is null");
    return guarded([&] {
        // IndexIDMap2 silently corrupts its reverse map on a repeated id, so repeats are refused up front.
        std::unordered_set<int64_t> batch;
        batch.reserve(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) {
            if (index->map->rev_map.count(ids[i]))
                throw std::runtime_error("id " + std::to_string(ids[i]) + " is already in the index");
            if (!batch.insert(ids[i]).second)
                throw std::runtime_error("id " + std::to_string(ids[i]) + " appears twice in the batch");
        }
        apply_thread_count();
        index->map->add_with_ids(n, vectors, ids);
    });
}

int mltutor_faiss_search(const mltutor_faiss_index* index, int64_t nq, const float* queries, int64_t k, float* scores,
                         int64_t* ids) {
    if (!index) return fail("index is null");
    if (nq < 0 || k <= 0) return fail("query count must be >= 0 and k > 0");
    if (nq == 0) return MLTUTOR_FAISS_OK;
    if (!queries || !scores || !ids) return fail("queries, scores or ids is null");
    return guarded([&] {
        apply_thread_count();
        index->map->search(nq, queries, k, scores, ids);
    });
}

int mltutor_faiss_remove(mltutor_faiss_index* index, int64_t n, const int64_t* ids, int64_t* removed) {
    if (!index || !removed) return fail("index or removed is null");
    *removed = 0;
    if (n < 0) return fail("negative id count");
    if (n == 0) return MLTUTOR_FAISS_OK;
    if (!ids) return fail("ids is null");
    return guarded([&] {
        faiss::IDSelectorBatch selector(n, ids);
        *removed = static_cast<int64_t>(index->map->remove_ids(selector));
    });
}

int64_t mltutor_faiss_count(const mltutor_faiss_index* index) { return index ? index->map->ntotal : 0; }

int32_t mltutor_faiss_dimension(const mltutor_faiss_index* index) { return index ? index->map->d : 0; }

int mltutor_faiss_get_ids(const mltutor_faiss_index* index, int64_t* ids, int64_t capacity, int64_t* written) {
    if (!index || !written) return fail("index or written is null");
    *written = 0;
    const auto& id_map = index->map->id_map;
    if (capacity < static_cast<int64_t>(id_map.size()))
        return fail("buffer holds " + std::to_string(capacity) + " ids, index has " + std::to_string(id_map.size()));
    if (!id_map.empty() && !ids) return fail("ids is null");
    std::copy(id_map.begin(), id_map.end(), ids);
    *written = static_cast<int64_t>(id_map.size());
    return MLTUTOR_FAISS_OK;
}

int mltutor_faiss_get_vectors(const mltutor_faiss_index* index, float* vectors, int64_t capacity, int64_t* written) {
    if (!index || !written) return fail("index or written is null");
    *written = 0;
    const auto* flat = dynamic_cast<const faiss::IndexFlat*>(index->map->index);
    if (!flat) return fail("the index does not store its vectors flat");
    const int64_t floats = flat->ntotal * flat->d;
    if (capacity < floats)
        return fail("buffer holds " + std::to_string(capacity) + " floats, index has " + std::to_string(floats));
    if (floats > 0 && !vectors) return fail("vectors is null");
    std::copy(flat->get_xb(), flat->get_xb() + floats, vectors);
    *written = floats;
    return MLTUTOR_FAISS_OK;
}

int mltutor_faiss_write(const mltutor_faiss_index* index, const char* path) {
    if (!index || !path) return fail("index or path is null");
    return guarded([&] {
        FilePtr f(std::fopen(path, "wb"));
        if (!f) throw std::runtime_error("cannot create " + std::string(path) + ": " + errno_text());
        faiss::write_index(index->map.get(), f.get());
        // The caller renames this file over the previous index; it must be on disk before that.
        if (std::fflush(f.get()) != 0 || ::fsync(::fileno(f.get())) != 0)
            throw std::runtime_error("cannot flush " + std::string(path) + ": " + errno_text());
        std::FILE* raw = f.release();
        if (std::fclose(raw) != 0) throw std::runtime_error("cannot close " + std::string(path) + ": " + errno_text());
    });
}

int mltutor_faiss_read(const char* path, mltutor_faiss_index** out) {
    if (!path || !out) return fail("path or out is null");
    *out = nullptr;
    return guarded([&] {
        validate_layout(path);
        std::unique_ptr<faiss::Index> loaded(faiss::read_index(path));
        auto* map = dynamic_cast<faiss::IndexIDMap2*>(loaded.get());
        if (!map || !dynamic_cast<faiss::IndexFlatIP*>(map->index))
            throw std::runtime_error("not a FAISS ID-mapped inner-product flat index");
        // A repeated id in a damaged file would leave the reverse map shorter than the index.
        if (map->rev_map.size() != static_cast<size_t>(map->ntotal))
            throw std::runtime_error("corrupt id map: repeated ids");
        loaded.release();
        *out = new mltutor_faiss_index{std::unique_ptr<faiss::IndexIDMap2>(map)};
    });
}

void mltutor_faiss_free(mltutor_faiss_index* index) { delete index; }

int32_t mltutor_faiss_set_threads(int32_t threads) {
    if (threads > 0) requested_threads.store(threads, std::memory_order_relaxed);
    apply_thread_count();
    return omp_get_max_threads();
}

}  // extern "C"
