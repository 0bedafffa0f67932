/*
 * C ABI over FAISS for the MlTutor engine (P/Invoke from .NET).
 *
 * Every function that can fail returns MLTUTOR_FAISS_OK (0) or MLTUTOR_FAISS_ERROR (-1);
 * on failure mltutor_faiss_last_error() returns the message for the calling thread.
 * No C++ exception ever crosses this boundary.
 *
 * The index is always an inner-product flat index with caller-chosen 64-bit ids
 * (faiss::IndexIDMap2 over faiss::IndexFlatIP). Searches may run concurrently;
 * add/remove/free need exclusive access.
 */
#ifndef MLTUTOR_FAISS_H
#define MLTUTOR_FAISS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MLTUTOR_FAISS_OK 0
#define MLTUTOR_FAISS_ERROR (-1)

#define MLTUTOR_FAISS_API __attribute__((visibility("default")))

typedef struct mltutor_faiss_index mltutor_faiss_index;

/* Message of the last failure on this thread ("" if none). Valid until the next call on this thread. */
MLTUTOR_FAISS_API const char* mltutor_faiss_last_error(void);

MLTUTOR_FAISS_API int mltutor_faiss_create_ip(int32_t dimension, mltutor_faiss_index** out);

/* vectors: n rows of `dimension` floats, row-major. Ids must be new and distinct. */
MLTUTOR_FAISS_API int mltutor_faiss_add(mltutor_faiss_index* index, int64_t n, const float* vectors, const int64_t* ids);

/* queries: nq rows; scores/ids: nq*k each, best first; missing results are padded with id -1. */
MLTUTOR_FAISS_API int mltutor_faiss_search(const mltutor_faiss_index* index, int64_t nq, const float* queries, int64_t k,
                                           float* scores, int64_t* ids);

/* *removed receives how many of the ids were present. */
MLTUTOR_FAISS_API int mltutor_faiss_remove(mltutor_faiss_index* index, int64_t n, const int64_t* ids, int64_t* removed);

MLTUTOR_FAISS_API int64_t mltutor_faiss_count(const mltutor_faiss_index* index);
MLTUTOR_FAISS_API int32_t mltutor_faiss_dimension(const mltutor_faiss_index* index);

/* Copies the ids in storage order into ids (capacity entries); *written receives the count. */
MLTUTOR_FAISS_API int mltutor_faiss_get_ids(const mltutor_faiss_index* index, int64_t* ids, int64_t capacity, int64_t* written);

/* Copies the vectors in storage order (that of mltutor_faiss_get_ids), row-major, into vectors (capacity floats);
   *written receives the count of floats. */
MLTUTOR_FAISS_API int mltutor_faiss_get_vectors(const mltutor_faiss_index* index, float* vectors, int64_t capacity,
                                                int64_t* written);

/* Writes the index to path and fsyncs it before returning. */
MLTUTOR_FAISS_API int mltutor_faiss_write(const mltutor_faiss_index* index, const char* path);

/* Reads an index written by mltutor_faiss_write; rejects anything else (other index types, truncated or corrupt files). */
MLTUTOR_FAISS_API int mltutor_faiss_read(const char* path, mltutor_faiss_index** out);

MLTUTOR_FAISS_API void mltutor_faiss_free(mltutor_faiss_index* index);

/* OpenMP thread count used by FAISS calls in this process, 1 until changed (<= 0 leaves it unchanged);
   returns the count in effect. */
MLTUTOR_FAISS_API int32_t mltutor_faiss_set_threads(int32_t threads);

#ifdef __cplusplus
}
#endif

#endif
