/** Datasets, the DataLoader with background prefetch, transforms, and readers for IDX, CSV and NumPy files. */
package dev.balboa.nn.data;
