from ytcs.core.text import fold, nfc


def test_fold_removes_marks_and_maps_d_bar():
    assert fold("  Nguyễn   Văn  Đạt ") == "nguyen van dat"
    assert fold("ĐẶNG THỊ HOÀ") == "dang thi hoa"


def test_nfc_folds_old_tone_placement():
    assert nfc("Hòa Bình") == nfc("Hoà Bình") == "Hoà Bình"
