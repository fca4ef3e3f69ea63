"""What a masked role may see of a person: cut ID numbers, generic difficulty labels."""

from dashboard.masking import category_labels, contains_full_id, mask_id, mask_ids_in_text, mask_person_key


def test_an_id_keeps_its_first_six_and_last_four_characters():
    assert mask_id("41040219850505001X") == "410402********001X"
    assert mask_id("410402198505050013") == "410402********0013"


def test_a_malformed_id_is_masked_too_and_a_short_one_hidden_whole():
    assert mask_id("41040219850505001") == "410402********5001"  # 17 characters, one missing
    assert mask_id("4104021985") == "**********"


def test_ids_inside_text_are_masked_but_community_codes_and_loan_ids_stay():
    text = "loan_id=L0001;person 410402198505050013 in 410402001001"
    assert mask_ids_in_text(text) == "loan_id=L0001;person 410402********0013 in 410402001001"
    assert mask_ids_in_text(None) is None


def test_a_quarantine_key_masks_its_person_id_part_whatever_it_holds():
    assert mask_person_key("41040219880808811;disabled") == "410402********8811;disabled"
    assert mask_person_key(";2020-01-05") == ";2020-01-05"


def test_sensitive_categories_collapse_to_the_generic_label_for_masked_roles():
    assert category_labels("age_4050;drug_rehab", masked=True) == "就业困难人员、“4050”人员"
    assert category_labels("community_corrections;disabled", masked=True) == "就业困难人员"
    assert category_labels("age_4050;drug_rehab", masked=False) == "“4050”人员、戒毒康复人员"
    assert category_labels("disabled", masked=False) == "残疾人"
    assert category_labels(None, masked=True) == ""


def test_full_id_detection_sees_through_masks_and_ignores_other_long_numbers():
    assert contains_full_id("王芳 41040219800202803X")
    assert not contains_full_id("王芳 410402********803X")
    assert not contains_full_id("000551111003410000")  # no birth date inside
    assert not contains_full_id("4104021980020280312")  # 19 digits
