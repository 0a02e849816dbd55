"""The two standards the product ships with, as plain data.

Installed by migration 0002 and reused by tests and the demo; an
administrator edits the installed rows in the admin, never this file.
"""

SHANDONG_DEFAULT = {
    "name": "基层民政能力建设“五有”标准",
    "jurisdiction_code": "",
    "jurisdiction_name": "缺省标准（山东省地级市《关于加强基层民政能力建设的意见》）",
    "valid_from_year": 2014,
    "valid_to_year": None,
    "source": "《关于加强基层民政能力建设的意见》（山东省某地级市）：五有五化两提升。",
    "population_basis": "resident",
    "posts_tiers": [{"max_population": 50000, "posts": 3}, {"max_population": 100000, "posts": 5}],
    "posts_step_population": 20000,
    "posts_step_posts": 1,
    "posts_step_rounding": "floor",
    "assistants_per_village": 1,
    "funds_per_10k_population": "2000.00",
    "assistant_monthly_subsidy": "60.00",
    "grade_subsidy_factors": {"excellent": "1.00", "competent": "1.00", "basic": "1.00", "incompetent": "0.00"},
    "vehicle_costs_required": True,
    "area_per_10k_population": "20.00",
    "area_minimum": "80.00",
    "required_rooms": [["office"], ["reception", "service_window"], ["archive"], ["storage"]],
    "village_station_space_required": True,
    "naming_required": True,
    "required_equipment": [
        "telephone", "computer", "printer", "desk_chairs", "av_recorder", "archive_cabinet", "service_vehicle",
    ],
    "required_regulations": [
        "procedures", "post_responsibility", "service_commitment", "archives",
        "first_inquiry", "time_limit", "finance", "assessment_rewards",
    ],
    "training_cycle_years": 3,
    "training_before_post": True,
    "graded_training": True,
    "director_opinion_required": True,
    "assistant_filing_required": True,
}

LIYANG_2005 = {
    "name": "溧阳市基层民政工作规范化建设标准",
    "jurisdiction_code": "320481",
    "jurisdiction_name": "江苏省溧阳市",
    "valid_from_year": 2005,
    "valid_to_year": None,
    "source": "《加强新时期基层民政组织建设的初步探索》（常州组工网，2005-12-09）：镇（区）民政办办公用房使用面积不少于40平方米，配备电脑、空调、传真机、打印机。",
    "population_basis": "resident",
    "posts_tiers": None,
    "posts_step_population": None,
    "posts_step_posts": 1,
    "posts_step_rounding": "floor",
    "assistants_per_village": None,
    "funds_per_10k_population": None,
    "assistant_monthly_subsidy": None,
    "grade_subsidy_factors": None,
    "vehicle_costs_required": False,
    "area_per_10k_population": None,
    "area_minimum": "40.00",
    "required_rooms": [],
    "village_station_space_required": False,
    "naming_required": False,
    # 配备电脑: any computer counts, networked or not (offices migration 0006 updated the installed row).
    "required_equipment": ["computer_any", "air_conditioner", "fax", "printer"],
    "required_regulations": [],
    "training_cycle_years": None,
    "training_before_post": False,
    "graded_training": False,
    "director_opinion_required": False,
    "assistant_filing_required": False,
}

SHIPPED_STANDARDS = [SHANDONG_DEFAULT, LIYANG_2005]
